// tendctl as an operator (or a script) uses it: the real program against a
// real coordinator and agents. Scripts rely on its exit codes: 0 all
// succeeded, 1 some failed, 2 usage error or bad request, 3 some hosts
// missing, 4 NATS or the coordinator cannot be reached.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bus/codec.h"
#include "schemas/summary.pb.h"
#include "tests/integration/programs.h"
#include "tests/support/child_process.h"
#include "tests/support/loopback_port.h"
#include "tests/support/nats_server.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tend_stack.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr auto kToolTimeout = 30s;

const std::vector<AgentSpec> kFleet = {
    {"web-01", "web-server", {"production", "nginx"}},
    {"web-02", "web-server", {"production", "nginx"}},
    {"web-03", "web-server", {"staging"}},
    {"db-01", "database", {"production"}},
};

Expected<Completed> tendctl(const std::string& url, const std::vector<std::string>& args,
                            const TempDir& dir) {
  return run_tendctl(url, args, dir, kToolTimeout);
}

Expected<tend::Summary> summary_from(const std::string& json) {
  tend::Summary summary;
  if (auto ok = decode(json, Encoding::kJson, summary); !ok) {
    return make_error(ok.error().message + ": " + json);
  }
  return summary;
}

class Tendctl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_ = std::make_unique<TendStack>(built_programs(), kFleet);
    started_ = stack_->start();
  }
  static void TearDownTestSuite() { stack_.reset(); }

  void SetUp() override { ASSERT_TRUE(started_) << started_.error().message; }
  // A failed start has said all there is to say already.
  void TearDown() override {
    if (HasFailure() && started_) std::cerr << stack_->logs();
  }

  Expected<Completed> run(const std::vector<std::string>& args) {
    return tendctl(stack_->nats_url(), args, stack_->dir());
  }

  inline static std::unique_ptr<TendStack> stack_;
  inline static Expected<void> started_;
};

TEST_F(Tendctl, RunOnARoleSucceedsAndSaysHowManyHosts) {
  auto ctl = run({"run", "--role", "web-server", "noop"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 0) << described(*ctl);
  EXPECT_THAT(ctl->out, HasSubstr("Finished processing 3 / 3 hosts")) << described(*ctl);
}

TEST_F(Tendctl, RunWithJsonPrintsTheSummary) {
  auto ctl = run({"run", "--tag", "production", "--role", "web-server", "noop", "--json"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 0) << described(*ctl);
  auto summary = summary_from(ctl->out);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->expected(), 2u);
  EXPECT_EQ(summary->succeeded(), 2u);
  EXPECT_EQ(summary->text(), "2/2 succeeded");
}

TEST_F(Tendctl, ADryRunChangesNothingAndSaysSo) {
  auto ctl = run({"run", "--all", "noop", "sleep_ms=10", "--dry-run", "--json"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 0) << described(*ctl);
  auto summary = summary_from(ctl->out);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->results_size(), 4);
  for (const auto& result : summary->results()) {
    EXPECT_TRUE(result.dry_run()) << result.host();
    EXPECT_THAT(result.summary(), HasSubstr("would sleep 10 ms")) << result.host();
  }
}

TEST_F(Tendctl, AFailingHostExitsOneAndIsNamed) {
  auto ctl = run({"run", "--host", "web-01", "noop", "fail=repo error"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 1) << described(*ctl);
  EXPECT_THAT(ctl->out, AllOf(HasSubstr("web-01"), HasSubstr("repo error"))) << described(*ctl);
}

TEST_F(Tendctl, ATaskPastItsTimeoutExitsOne) {
  auto ctl = run({"run", "--host", "db-01", "noop", "sleep_ms=5000", "--timeout", "1s"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 1) << described(*ctl);
  EXPECT_THAT(ctl->out, AllOf(HasSubstr("db-01"), HasSubstr("TIMED_OUT"))) << described(*ctl);
}

TEST_F(Tendctl, BadUsageExitsTwo) {
  const std::vector<std::vector<std::string>> mistakes = {
      {"run", "--role", "web-server"},                      // no plugin
      {"run", "--role", "web-server", "noop", "sleep_ms"},  // a param without a value
      {"run", "--colour", "red", "--all", "noop"},          // no such option
      {"run", "--all", "noop", "--timeout", "soon"},        // not a duration
      {"launch", "--all", "noop"},                          // no such command
  };
  for (const auto& args : mistakes) {
    auto ctl = run(args);
    ASSERT_TRUE(ctl) << ctl.error().message;
    EXPECT_EQ(ctl->exit_code, 2) << described(*ctl);
    EXPECT_THAT(ctl->err, Not(::testing::IsEmpty())) << described(*ctl);
  }
}

TEST_F(Tendctl, ABadRequestExitsTwoWithTheCoordinatorsReason) {
  auto ctl = run({"run", "--host", "web.01", "noop"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 2) << described(*ctl);
  EXPECT_THAT(ctl->err, HasSubstr("web.01")) << described(*ctl);
}

TEST_F(Tendctl, NodesListsEveryHostWithItsRole) {
  auto ctl = run({"nodes"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 0) << described(*ctl);
  for (const auto& spec : kFleet) {
    EXPECT_THAT(ctl->out, AllOf(HasSubstr(spec.host), HasSubstr(spec.role))) << described(*ctl);
  }
}

TEST_F(Tendctl, NodesWithJsonListsEveryHost) {
  auto ctl = run({"nodes", "--json"});
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 0) << described(*ctl);
  tend::NodeList nodes;
  ASSERT_TRUE(decode(ctl->out, Encoding::kJson, nodes)) << described(*ctl);
  std::vector<std::string> hosts;
  for (const auto& node : nodes.nodes()) {
    EXPECT_TRUE(node.online()) << node.last_heartbeat().host();
    hosts.push_back(node.last_heartbeat().host());
  }
  EXPECT_THAT(hosts, ::testing::UnorderedElementsAre("web-01", "web-02", "web-03", "db-01"));
}

TEST_F(Tendctl, PluginsListsWhatTheFleetOffersAndShowsOnesHelp) {
  auto list = run({"plugins"});
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->exit_code, 0) << described(*list);
  EXPECT_THAT(list->out, AllOf(HasSubstr("PLUGIN"), HasSubstr("noop"), HasSubstr("disk-cleanup")))
      << described(*list);

  auto help = run({"plugins", "--host", "web-01", "noop"});
  ASSERT_TRUE(help) << help.error().message;
  EXPECT_EQ(help->exit_code, 0) << described(*help);
  EXPECT_THAT(help->out, AllOf(HasSubstr("noop "), HasSubstr("risk: low"), HasSubstr("dry-run"),
                               HasSubstr("sleep_ms"), HasSubstr("fail"), HasSubstr("on: web-01")))
      << described(*help);

  auto unknown = run({"plugins", "no-such-fix"});
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_EQ(unknown->exit_code, 1) << described(*unknown);
  EXPECT_THAT(unknown->err, HasSubstr("no node offers plugin 'no-such-fix'"))
      << described(*unknown);
}

TEST_F(Tendctl, HistoryNeedsACoordinatorWithAStoreAndSaysSo) {
  // This stack's coordinator has no [database] url: nobody answers.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"history"}, {"show", "t-1"}, {"audit", "tail"}, {"audit", "verify"}}) {
    auto ctl = run(args);
    ASSERT_TRUE(ctl) << ctl.error().message;
    EXPECT_EQ(ctl->exit_code, 4) << described(*ctl);
    EXPECT_THAT(ctl->err, HasSubstr("[database] url")) << described(*ctl);
  }
}

// --- when something is missing -------------------------------------------

TEST(TendctlUnreachable, AHostThatNeverAnswersExitsThree) {
  TendStack stack(built_programs(), {{"web-01", "web-server", {}}, {"web-02", "web-server", {}}});
  auto started = stack.start();
  ASSERT_TRUE(started) << started.error().message;
  stack.kill_agent("web-02");

  auto ctl = tendctl(stack.nats_url(), {"run", "--role", "web-server", "noop"}, stack.dir());
  ASSERT_TRUE(ctl) << ctl.error().message;
  EXPECT_EQ(ctl->exit_code, 3) << described(*ctl) << stack.logs();
  EXPECT_THAT(ctl->out, AllOf(HasSubstr("1 / 2 hosts"), HasSubstr("web-02"))) << described(*ctl);
}

TEST(TendctlUnreachable, NoNatsServerExitsFour) {
  TempDir dir;
  const std::string nowhere = "nats://127.0.0.1:" + std::to_string(free_loopback_port());
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run", "--all", "noop"}, {"nodes"}}) {
    auto started = std::chrono::steady_clock::now();
    auto ctl = tendctl(nowhere, args, dir);
    ASSERT_TRUE(ctl) << ctl.error().message;
    EXPECT_EQ(ctl->exit_code, 4) << described(*ctl);
    EXPECT_THAT(ctl->err, HasSubstr(nowhere)) << described(*ctl);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s) << "tendctl should fail fast";
  }
}

TEST(TendctlUnreachable, NoCoordinatorExitsFour) {
  NatsServer nats;
  auto up = nats.start();
  ASSERT_TRUE(up) << up.error().message;
  TempDir dir;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run", "--all", "noop"}, {"nodes"}}) {
    auto ctl = tendctl(nats.url(), args, dir);
    ASSERT_TRUE(ctl) << ctl.error().message;
    EXPECT_EQ(ctl->exit_code, 4) << described(*ctl);
    EXPECT_THAT(ctl->err, HasSubstr("coordinator")) << described(*ctl);
  }
}

}  // namespace
}  // namespace tend::testing
