// Issue 11, end to end: the message that used to kill every agent in the
// fleet — {"plugin":"exec","params":{"command":"/aaaa…"}}, about 100 KB, on
// tend.task.all — against real tend-agents (exec loaded) and a real
// coordinator on a nats-server of their own. Every agent answers REJECTED,
// naming the limit, before any pattern sees the string; and every agent
// still runs a plain task afterwards, however often the message came.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "schemas/result.pb.h"
#include "tests/integration/programs.h"
#include "tests/support/message_inbox.h"
#include "tests/support/tend_stack.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::ElementsAre;

constexpr auto kAnswers = 15s;

const std::vector<AgentSpec> kFleet = {
    {"web-01", "web-server", {"production"}},
    {"web-02", "web-server", {"production"}},
    {"web-03", "web-server", {"staging"}},
    {"db-01", "database", {"production"}},
};

// The message of the issue: a command of 100 000 bytes.
std::string hostile_task() {
  return R"({"plugin":"exec","params":{"command":"/)" + std::string(99'999, 'a') + R"("}})";
}

class OversizedTask : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_ = std::make_unique<TendStack>(built_programs(), kFleet);
    auto started = stack_->start();
    ASSERT_TRUE(started) << started.error().message;
  }
  void TearDown() override {
    if (HasFailure() && stack_) std::cerr << stack_->logs();
  }

  // Publishes `json` on tend.task.all with a reply inbox and returns the
  // Results that come back, one per agent, sorted by host.
  std::vector<tend::Result> publish_to_all(const std::string& json) {
    MessageInbox replies;
    const std::string inbox = stack_->client().new_inbox();
    auto sub = stack_->client().subscribe(inbox, replies.handler());
    EXPECT_TRUE(sub && stack_->client().flush(2s));
    EXPECT_TRUE(stack_->client().publish_raw(stack_->subjects().task_all(), json, inbox));
    std::vector<tend::Result> results;
    for (const auto& msg : replies.take(kFleet.size(), kAnswers)) {
      auto result = decode_as<tend::Result>(msg);
      EXPECT_TRUE(result) << result.error().message;
      if (result) results.push_back(*result);
    }
    std::sort(results.begin(), results.end(),
              [](const auto& a, const auto& b) { return a.host() < b.host(); });
    return results;
  }

  static std::vector<std::string> hosts_of(const std::vector<tend::Result>& results) {
    std::vector<std::string> hosts;
    for (const auto& r : results) hosts.push_back(r.host());
    return hosts;
  }

  void expect_everyone_alive() {
    for (const auto& spec : kFleet) {
      EXPECT_TRUE(stack_->agent(spec.host).running()) << spec.host << " died";
    }
    EXPECT_TRUE(stack_->coordinator().running()) << "the coordinator died";
  }

  std::unique_ptr<TendStack> stack_;
};

TEST_F(OversizedTask, EveryAgentLoadedExecTheIssuesPlugin) {
  auto nodes = stack_->nodes();
  ASSERT_TRUE(nodes) << nodes.error().message;
  ASSERT_EQ(nodes->nodes_size(), static_cast<int>(kFleet.size()));
  for (const auto& node : nodes->nodes()) {
    std::vector<std::string> plugins;
    for (const auto& info : node.last_heartbeat().plugins()) plugins.push_back(info.name());
    EXPECT_THAT(plugins, Contains("exec")) << node.last_heartbeat().host();
  }
}

TEST_F(OversizedTask, EveryAgentRejectsItNamingTheLimitAndStillRunsAPlainTask) {
  ASSERT_EQ(hostile_task().size(), 100'041u) << "about 100 KB, as in the issue";
  auto rejected = publish_to_all(hostile_task());
  EXPECT_THAT(hosts_of(rejected), ElementsAre("db-01", "web-01", "web-02", "web-03"));
  for (const auto& result : rejected) {
    EXPECT_EQ(result.status(), tend::REJECTED) << result.host();
    EXPECT_EQ(result.error(), "param 'command' is 100000 bytes; the limit is 4096")
        << result.host();
  }
  expect_everyone_alive();

  auto plain = publish_to_all(R"({"plugin":"noop"})");
  EXPECT_THAT(hosts_of(plain), ElementsAre("db-01", "web-01", "web-02", "web-03"));
  for (const auto& result : plain) {
    EXPECT_EQ(result.status(), tend::SUCCEEDED) << result.host() << ": " << result.error();
  }
}

TEST_F(OversizedTask, SentAgainAndAgainItChangesNothing) {
  // Restart=on-failure let the sender repeat it forever; now every one is
  // answered and the fleet goes on.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(stack_->client().publish_raw(stack_->subjects().task_all(), hostile_task()));
  }
  ASSERT_TRUE(stack_->client().flush(5s));
  auto last = publish_to_all(hostile_task());
  EXPECT_EQ(last.size(), kFleet.size());
  expect_everyone_alive();

  auto submitted = stack_->submit_json(R"({"target":{"all":true},"plugin":"noop"})", kAnswers);
  ASSERT_TRUE(submitted) << submitted.error().message;
  auto summary = submitted->summary();
  ASSERT_TRUE(summary) << summary.error().message << "\n" << submitted->raw();
  EXPECT_EQ(summary->text(), "4/4 succeeded");
}

}  // namespace
}  // namespace tend::testing
