// `tendctl run` and `tendctl nodes` in-process against a real nats-server,
// with a scripted stand-in for tend-coordinator that answers as the wire
// contract says: progress on tend.progress.<id>, then the reply.
#include "core/tendctl/run_command.h"

#include <gtest/gtest.h>

#include <mutex>

#include "bus/codec.h"
#include "core/common/logging.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/nodes_command.h"
#include "schemas/progress.pb.h"
#include "schemas/summary.pb.h"
#include "tests/support/nats_server.h"

namespace tend::tendctl {
namespace {

using namespace std::chrono_literals;
using ::testing::internal::CaptureStderr;
using ::testing::internal::CaptureStdout;
using ::testing::internal::GetCapturedStderr;
using ::testing::internal::GetCapturedStdout;

// Answers every submit with one TALLY and then `answer` (a Summary gets the
// task's id, as the coordinator's always does).
class StandInCoordinator {
 public:
  StandInCoordinator(const std::string& url, std::unique_ptr<google::protobuf::Message> answer)
      : answer_(std::move(answer)) {
    ConnectionOptions options;
    options.servers = {url};
    auto conn = Connection::connect(options);
    EXPECT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
    auto sub = conn_->subscribe("tend.submit", [this](Message msg) { serve(msg); });
    EXPECT_TRUE(sub) << sub.error().message;
    sub_ = std::move(*sub);
    EXPECT_TRUE(conn_->flush(2s));
  }

  tend::Task submitted() {
    std::lock_guard lock(mu_);
    return submitted_;
  }

 private:
  void serve(const Message& msg) {
    tend::Task task;
    EXPECT_TRUE(msg.decode(task));
    EXPECT_EQ(msg.encoding(), Encoding::kProtobuf);
    {
      std::lock_guard lock(mu_);
      submitted_ = task;
    }
    tend::Progress tally;
    tally.set_task_id(task.id());
    tally.set_kind(tend::Progress::TALLY);
    tally.set_expected(2);
    tally.set_responded(1);
    tally.set_failed(1);
    EXPECT_TRUE(conn_->publish("tend.progress." + task.id(), tally));
    if (auto* summary = dynamic_cast<tend::Summary*>(answer_.get()))
      summary->set_task_id(task.id());
    EXPECT_TRUE(conn_->respond(msg, *answer_));
  }

  std::unique_ptr<google::protobuf::Message> answer_;
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<Subscription> sub_;
  std::mutex mu_;
  tend::Task submitted_;
};

std::unique_ptr<tend::Summary> one_of_two_failed() {
  auto s = std::make_unique<tend::Summary>();
  s->set_plugin("noop");
  s->set_expected(2);
  s->set_responded(2);
  s->set_succeeded(1);
  s->set_failed(1);
  auto* ok = s->add_results();
  ok->set_host("web-01");
  ok->set_status(tend::SUCCEEDED);
  ok->set_summary("slept 200 ms");
  auto* bad = s->add_results();
  bad->set_host("web-02");
  bad->set_status(tend::FAILED);
  bad->set_error("repo error");
  s->set_text("1/2 succeeded; web-02 FAILED: repo error");
  return s;
}

struct Ran {
  int exit_code;
  std::string out, err;
};

class RunCommand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // As tendctl's main does: its own messages only, no connection chatter.
    (void)set_log_level("error");
    nats_ = std::make_unique<testing::NatsServer>();
    started_ = nats_->start();
  }
  static void TearDownTestSuite() { nats_.reset(); }
  void SetUp() override { ASSERT_TRUE(started_) << started_.error().message; }

  static GlobalOptions options() {
    GlobalOptions options;
    options.server = nats_->url();
    return options;
  }

  static RunArguments web_servers(bool json_free_params = true) {
    RunArguments args;
    args.roles = {"web-server"};
    args.plugin = "noop";
    if (json_free_params) args.params = {"sleep_ms=200"};
    args.requested_by = "alice";
    return args;
  }

  static Ran run(const RunArguments& args, bool json) {
    CaptureStdout();
    CaptureStderr();
    int code = run_task(options(), args, json);
    return {code, GetCapturedStdout(), GetCapturedStderr()};
  }

  inline static std::unique_ptr<testing::NatsServer> nats_;
  inline static Expected<void> started_;
};

TEST_F(RunCommand, ShowsProgressThenTheTableAndExitsWithWhatTheSummaryMeans) {
  StandInCoordinator coordinator(nats_->url(), one_of_two_failed());
  Ran ran = run(web_servers(), false);
  EXPECT_EQ(ran.exit_code, kSomeFailed) << ran.err;
  EXPECT_EQ(ran.err, "");
  // Not a terminal here: a plain progress line, seen because tendctl listened
  // before it submitted.
  EXPECT_EQ(ran.out.find("progress: 1/2 responded (0 ok, 1 failed)\n"
                         "HOST    STATUS     DURATION  SUMMARY/ERROR\n"
                         "web-01  SUCCEEDED       0ms  slept 200 ms\n"
                         "web-02  FAILED          0ms  repo error\n"
                         "\n"
                         "1/2 succeeded; web-02 FAILED: repo error\n"
                         "Finished processing 2 / 2 hosts in "),
            0u)
      << ran.out;
  EXPECT_NE(ran.out.find(" ms\nFailed: web-02 (FAILED: repo error)\n"), std::string::npos)
      << ran.out;

  tend::Task task = coordinator.submitted();
  EXPECT_EQ(task.id().rfind("t-", 0), 0u) << "tendctl chose the id: " << task.id();
  EXPECT_EQ(task.requested_by(), "alice");
  EXPECT_EQ(task.params().fields().at("sleep_ms").number_value(), 200);
}

TEST_F(RunCommand, JsonIsTheSummaryAndNothingElse) {
  StandInCoordinator coordinator(nats_->url(), one_of_two_failed());
  Ran ran = run(web_servers(), true);
  EXPECT_EQ(ran.exit_code, kSomeFailed) << ran.err;
  tend::Summary printed;
  ASSERT_TRUE(decode(ran.out, Encoding::kJson, printed)) << ran.out;
  EXPECT_EQ(ran.out, to_json(printed) + "\n");
  EXPECT_EQ(printed.task_id(), coordinator.submitted().id());
  EXPECT_EQ(printed.text(), "1/2 succeeded; web-02 FAILED: repo error");
}

TEST_F(RunCommand, ARefusalIsPrintedInTheCoordinatorsWordsAndExitsTwo) {
  auto refusal = std::make_unique<tend::ErrorReply>();
  refusal->set_error("unknown plugin 'noop' on every target host");
  StandInCoordinator coordinator(nats_->url(), std::move(refusal));
  Ran ran = run(web_servers(), false);
  EXPECT_EQ(ran.exit_code, kUsageError);
  EXPECT_EQ(ran.err, "error: unknown plugin 'noop' on every target host\n");
  EXPECT_EQ(ran.out, "progress: 1/2 responded (0 ok, 1 failed)\n");
}

TEST_F(RunCommand, NoCoordinatorExitsFourSayingWhatToCheck) {
  Ran ran = run(web_servers(), false);
  EXPECT_EQ(ran.exit_code, kUnreachable);
  EXPECT_EQ(ran.out, "");
  EXPECT_EQ(ran.err.find("error: no coordinator is answering on tend.submit at " + nats_->url() +
                         ": is tend-coordinator running"),
            0u)
      << ran.err;
}

TEST_F(RunCommand, AUsageMistakeExitsTwoBeforeAnythingIsSent) {
  RunArguments args = web_servers();
  args.params.push_back("force");
  Ran ran = run(args, false);
  EXPECT_EQ(ran.exit_code, kUsageError);
  EXPECT_EQ(ran.err, "error: parameter 'force' has no value: write force=VALUE\n");
}

TEST_F(RunCommand, NodesWithJsonIsTheNodeList) {
  tend::NodeList registry;
  registry.add_nodes()->mutable_last_heartbeat()->set_host("web-01");
  ConnectionOptions conn_options;
  conn_options.servers = {nats_->url()};
  auto coordinator = Connection::connect(conn_options);
  ASSERT_TRUE(coordinator) << coordinator.error().message;
  auto sub = (*coordinator)->subscribe("tend.nodes", [&](Message msg) {
    EXPECT_TRUE((*coordinator)->respond(msg, registry));
  });
  ASSERT_TRUE(sub);
  ASSERT_TRUE((*coordinator)->flush(2s));

  CaptureStdout();
  int code = list_nodes(options(), true);
  std::string out = GetCapturedStdout();
  EXPECT_EQ(code, kAllSucceeded);
  EXPECT_EQ(out, to_json(registry) + "\n");
}

TEST(ReplyTimeout, TheTasksDeadlinePlusTenSeconds) {
  tend::Task task;
  EXPECT_EQ(reply_timeout_for(task), std::chrono::seconds(310)) << "the coordinator's default";
  task.set_timeout_s(60);
  EXPECT_EQ(reply_timeout_for(task), std::chrono::seconds(70));
}

}  // namespace
}  // namespace tend::tendctl
