// The agent's intake, against a real nats-server with a runner that stands
// in for plugins: a task past any bound, a full queue and an oversized
// control message are each answered with a refusal that names the limit,
// and the agent goes on serving.
#include "core/agent/agent.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>

#include "bus/codec.h"
#include "schemas/control.pb.h"
#include "tests/support/message_inbox.h"
#include "tests/support/nats_server.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using testing::decode_as;

// Runs every task until the test lets it finish.
class HeldRunner : public TaskRunner {
 public:
  std::string admit(const tend::Task&) const override { return {}; }
  tend::Result run(const tend::Task&, const std::atomic<bool>& cancel) override {
    std::unique_lock lock(mu_);
    ++started_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return released_ || cancel; });
    tend::Result r;
    r.set_status(tend::SUCCEEDED);
    return r;
  }
  std::vector<tend::PluginInfo> plugins() const override { return {}; }

  bool wait_started(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 5s, [&] { return started_ >= n; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int started_ = 0;
  bool released_ = false;
};

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ConnectionOptions options;
    options.servers = {tend::testing::NatsServer::shared().url()};
    auto agent_conn = Connection::connect(options);
    auto client = Connection::connect(options);
    ASSERT_TRUE(agent_conn && client);
    agent_conn_ = std::move(*agent_conn);
    client_ = std::move(*client);

    AgentConfig config;
    config.identity = {.host = "web-01", .role = "web-server", .tags = {}};
    // A prefix of its own: the shared server is shared with other tests, and
    // ctest runs this suite's tests as parallel processes.
    config.nats.subject_prefix = prefix_;
    config.max_concurrent = 1;
    config.max_queued = 1;
    config.metrics.textfile_dir = "";
    agent_ = std::make_unique<Agent>(config, *agent_conn_, runner_, nullptr);
    ASSERT_TRUE(agent_->start());
    ASSERT_TRUE(agent_conn_->flush(2s));
  }
  void TearDown() override {
    runner_.release();
    if (agent_) agent_->stop(1s);
  }

  // Publishes `json` to the agent's host subject; the Result it answers.
  Expected<tend::Result> send(const std::string& json) {
    auto reply = client_->request_raw(prefix_ + ".task.host.web-01", json, 5s);
    if (!reply) return reply.error();
    return decode_as<tend::Result>(*reply);
  }

  const std::string prefix_ = "agenttest" + std::to_string(::getpid());
  HeldRunner runner_;
  std::unique_ptr<Connection> agent_conn_;
  std::unique_ptr<Connection> client_;
  std::unique_ptr<Agent> agent_;
};

TEST_F(AgentTest, ATaskPastABoundIsRejectedNamingTheLimitAndTheAgentServesOn) {
  auto over =
      send(R"({"plugin":"exec","params":{"command":"/)" + std::string(100'000, 'a') + R"("}})");
  ASSERT_TRUE(over) << over.error().message;
  EXPECT_EQ(over->status(), tend::REJECTED);
  EXPECT_EQ(over->error(), "param 'command' is 100001 bytes; the limit is 4096");
  EXPECT_EQ(over->host(), "web-01");

  auto timeout = send(R"({"plugin":"noop","timeout_s":99999999})");
  ASSERT_TRUE(timeout) << timeout.error().message;
  EXPECT_EQ(timeout->status(), tend::REJECTED);
  EXPECT_EQ(timeout->error(), "timeout_s 99999999 is out of range: use 1 to 86400 s");

  auto plugin = send(R"({"plugin":")" + std::string(200, 'p') + R"("})");
  ASSERT_TRUE(plugin) << plugin.error().message;
  EXPECT_EQ(plugin->error(), "plugin is 200 bytes; the limit is 128");
  EXPECT_EQ(plugin->plugin(), "") << "the name refused is not carried on";

  runner_.release();
  auto plain = send(R"({"plugin":"noop"})");
  ASSERT_TRUE(plain) << plain.error().message;
  EXPECT_EQ(plain->status(), tend::SUCCEEDED);
}

TEST_F(AgentTest, ATaskIdPastTheBoundIsRefusedUnquoted) {
  auto reply =
      client_->request_raw(prefix_ + ".task.host.web-01",
                           R"({"id":")" + std::string(300, 'i') + R"(","plugin":"noop"})", 5s);
  ASSERT_TRUE(reply) << reply.error().message;
  auto error = decode_as<tend::ErrorReply>(*reply);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->error(), "web-01: task id is 300 bytes; the limit is 128");
}

TEST_F(AgentTest, ATaskThatFindsTheQueueFullIsRejectedNamingTheLimit) {
  testing::MessageInbox results;
  auto sub = client_->subscribe(prefix_ + ".result.*", results.handler());
  ASSERT_TRUE(sub && client_->flush(2s));
  ASSERT_TRUE(client_->publish_raw(prefix_ + ".task.host.web-01", R"({"id":"runs","plugin":"x"})"));
  ASSERT_TRUE(runner_.wait_started(1)) << "the one worker is busy";
  ASSERT_TRUE(
      client_->publish_raw(prefix_ + ".task.host.web-01", R"({"id":"waits","plugin":"x"})"));

  auto refused = send(R"({"id":"one-too-many","plugin":"x"})");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->status(), tend::REJECTED);
  EXPECT_EQ(refused->error(),
            "agent web-01: task queue is full: the limit is 1 waiting tasks ([plugins] "
            "max_queued)");

  runner_.release();
  std::set<std::string> succeeded;
  for (const auto& msg : results.take(3, 5s)) {
    auto result = decode_as<tend::Result>(msg);
    if (result && result->status() == tend::SUCCEEDED) succeeded.insert(result->task_id());
  }
  EXPECT_EQ(succeeded, (std::set<std::string>{"runs", "waits"})) << "the accepted ones ran";
}

TEST_F(AgentTest, AControlMessagePastABoundIsRefusedAndChangesNothing) {
  tend::Control control;
  control.set_action("pause");
  control.set_by(std::string(257, 'b'));
  auto reply = client_->request(prefix_ + ".control.web-01", control, Encoding::kJson, 5s);
  ASSERT_TRUE(reply) << reply.error().message;
  auto answer = decode_as<tend::ControlReply>(*reply);
  ASSERT_TRUE(answer);
  EXPECT_FALSE(answer->ok());
  EXPECT_EQ(answer->message(), "by is 257 bytes; the limit is 256");
  EXPECT_FALSE(answer->paused());

  control.set_by(std::string(256, 'b'));
  reply = client_->request(prefix_ + ".control.web-01", control, Encoding::kJson, 5s);
  ASSERT_TRUE(reply) << reply.error().message;
  answer = decode_as<tend::ControlReply>(*reply);
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->ok()) << answer->message();
  EXPECT_TRUE(answer->paused());
}

}  // namespace
}  // namespace tend
