// Issue 2, the agent mesh, end to end: a real tend-coordinator and four real
// tend-agents running the noop plugin, on a nats-server of their own. Tasks go
// in as an operator sends them (JSON on tend.submit, or straight to a node
// subject) and what comes back is checked as the operator would read it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "bus/codec.h"
#include "core/common/task_id.h"
#include "schemas/result.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"
#include "tests/integration/mesh_submit.h"
#include "tests/integration/programs.h"
#include "tests/support/message_inbox.h"
#include "tests/support/tend_stack.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The fleet of issue 2.
const std::vector<AgentSpec> kFleet = {
    {"web-01", "web-server", {"production", "nginx"}},
    {"web-02", "web-server", {"production", "nginx"}},
    {"web-03", "web-server", {"staging"}},
    {"db-01", "database", {"production"}},
};

// One stack for the whole suite: these tests only send tasks, and each
// leaves the fleet as it found it.
class Mesh : public ::testing::Test {
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

  TendStack& stack() { return *stack_; }

  // Bad input changes nothing: the coordinator and every agent still serve
  // an ordinary task afterwards.
  void expect_fleet_still_serves() {
    auto summary = run(stack(), R"({"target": {"all": true}, "plugin": "noop"})");
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->text(), "4/4 succeeded");
    EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("db-01", "web-01", "web-02", "web-03"));
  }

  inline static std::unique_ptr<TendStack> stack_;
  inline static Expected<void> started_;
};

// --- targeting -----------------------------------------------------------

TEST_F(Mesh, TaskForOneHostRunsOnThatHostOnly) {
  auto summary = run(stack(), R"({"target": {"hosts": ["web-02"]}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-02"));
  EXPECT_EQ(summary->expected(), 1u);
  EXPECT_EQ(summary->text(), "1/1 succeeded");
}

TEST_F(Mesh, TaskForARoleRunsOnEveryHostOfThatRole) {
  auto summary = run(stack(), R"({"target": {"roles": ["web-server"]}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01", "web-02", "web-03"));
  EXPECT_EQ(summary->text(), "3/3 succeeded");
}

TEST_F(Mesh, TaskForATagRunsOnEveryHostWithThatTag) {
  auto summary = run(stack(), R"({"target": {"tags": ["production"]}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("db-01", "web-01", "web-02"));
  EXPECT_EQ(summary->text(), "3/3 succeeded");
}

TEST_F(Mesh, TaskForAllRunsEverywhereAndIsCountedInTheSummary) {
  auto summary = run(stack(), R"({"target": {"all": true}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("db-01", "web-01", "web-02", "web-03"));
  EXPECT_FALSE(summary->task_id().empty());
  EXPECT_EQ(summary->plugin(), "noop");
  EXPECT_EQ(summary->expected(), 4u);
  EXPECT_EQ(summary->responded(), 4u);
  EXPECT_EQ(summary->succeeded(), 4u);
  EXPECT_EQ(summary->failed(), 0u);
  EXPECT_TRUE(summary->complete());
  EXPECT_THAT(summary->missing(), IsEmpty());
  EXPECT_THAT(summary->unreachable(), IsEmpty());
  EXPECT_THAT(summary->no_result(), IsEmpty());
  EXPECT_EQ(summary->text(), "4/4 succeeded");
  for (const auto& result : summary->results()) {
    EXPECT_EQ(result.task_id(), summary->task_id());
    EXPECT_EQ(result.status(), tend::SUCCEEDED) << result.host();
    EXPECT_EQ(result.plugin(), "noop");
  }
}

TEST_F(Mesh, ListsOfATargetMustAllMatch) {
  auto summary = run(stack(), R"({"target": {"roles": ["web-server"], "tags": ["production"]},
                                  "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01", "web-02"));
  EXPECT_EQ(summary->text(), "2/2 succeeded");
}

TEST_F(Mesh, AnyEntryOfOneListMatches) {
  auto summary = run(stack(), R"({"target": {"hosts": ["web-01", "db-01"]}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("db-01", "web-01"));
  EXPECT_EQ(summary->text(), "2/2 succeeded");
}

// --- outcomes ------------------------------------------------------------

TEST_F(Mesh, AFailingHostIsCountedAndNamedWithItsReason) {
  auto summary = run(stack(), R"({"target": {"hosts": ["web-03"]}, "plugin": "noop",
                                  "params": {"fail": "repo error"}})");
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->results_size(), 1);
  EXPECT_EQ(summary->results(0).status(), tend::FAILED);
  EXPECT_THAT(summary->results(0).error(), HasSubstr("repo error"));
  EXPECT_EQ(summary->succeeded(), 0u);
  EXPECT_EQ(summary->failed(), 1u);
  EXPECT_TRUE(summary->complete());  // it answered: failing is not missing
  // The line an on-call engineer reads, as DESIGN.md shows it.
  EXPECT_EQ(summary->text(), "0/1 succeeded; web-03 FAILED: repo error");
}

TEST_F(Mesh, EveryFailingHostIsCounted) {
  auto summary = run(stack(), R"({"target": {"tags": ["nginx"]}, "plugin": "noop",
                                  "params": {"fail": "repo error"}})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01", "web-02"));
  EXPECT_EQ(summary->failed(), 2u);
  // Hosts that failed alike share one clause.
  EXPECT_EQ(summary->text(), "0/2 succeeded; web-01, web-02 FAILED: repo error");
}

TEST_F(Mesh, ATaskPastItsTimeoutIsTimedOut) {
  auto summary = run(stack(), R"({"target": {"hosts": ["db-01"]}, "plugin": "noop",
                                  "params": {"sleep_ms": 5000}, "timeout_s": 1})");
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->results_size(), 1);
  EXPECT_EQ(summary->results(0).status(), tend::TIMED_OUT);
  EXPECT_EQ(summary->failed(), 1u);
  EXPECT_THAT(summary->text(), HasSubstr("db-01 TIMED_OUT"));
}

TEST_F(Mesh, ADryRunSaysWhatItWouldDo) {
  auto summary = run(stack(), R"({"target": {"roles": ["database"]}, "plugin": "noop",
                                  "params": {"sleep_ms": 10}, "dry_run": true})");
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->results_size(), 1);
  EXPECT_TRUE(summary->dry_run());
  EXPECT_TRUE(summary->results(0).dry_run());
  EXPECT_EQ(summary->results(0).status(), tend::SUCCEEDED);
  EXPECT_THAT(summary->results(0).summary(), HasSubstr("would sleep 10 ms"));
}

// --- ways in -------------------------------------------------------------

TEST_F(Mesh, ATaskPublishedStraightToAHostIsSummarisedToo) {
  MessageInbox summaries, results;
  auto s1 = stack().client().subscribe("tend.summary.direct-1", summaries.handler());
  auto s2 = stack().client().subscribe("tend.result.direct-1", results.handler());
  ASSERT_TRUE(s1 && s2);
  ASSERT_TRUE(stack().client().flush(2s));

  ASSERT_TRUE(stack().client().publish_raw("tend.task.host.web-01",
                                           R"({"id": "direct-1", "plugin": "noop"})"));

  auto result_msg = results.next(kArrival);
  ASSERT_TRUE(result_msg) << "no Result on tend.result.direct-1";
  auto result = decode_as<tend::Result>(*result_msg);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->host(), "web-01");
  EXPECT_EQ(result->status(), tend::SUCCEEDED);

  auto summary_msg = summaries.next(kArrival);
  ASSERT_TRUE(summary_msg) << "no Summary on tend.summary.direct-1";
  EXPECT_EQ(summary_msg->encoding(), Encoding::kProtobuf);
  auto summary = decode_as<tend::Summary>(*summary_msg);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->task_id(), "direct-1");
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01"));
  EXPECT_EQ(summary->text(), "1/1 succeeded");
}

TEST_F(Mesh, ATaskWithoutIdGetsTheSameDerivedIdEverywhere) {
  MessageInbox summaries, results;
  auto s1 = stack().client().subscribe("tend.summary.*", summaries.handler());
  auto s2 = stack().client().subscribe("tend.result.*", results.handler());
  ASSERT_TRUE(s1 && s2);
  ASSERT_TRUE(stack().client().flush(2s));

  const std::string subject = "tend.task.role.database";
  const std::string payload = R"({"plugin": "noop", "reason": "derived id"})";
  ASSERT_TRUE(stack().client().publish_raw(subject, payload));
  const std::string id = derived_task_id(subject, "", payload);

  auto result_msg = results.next(kArrival);
  ASSERT_TRUE(result_msg) << "no Result on tend.result.*";
  auto result = decode_as<tend::Result>(*result_msg);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->task_id(), id);
  EXPECT_EQ(result->host(), "db-01");

  auto summary_msg = summaries.next(kArrival);
  ASSERT_TRUE(summary_msg) << "no Summary on tend.summary.*";
  EXPECT_EQ(summary_msg->subject(), "tend.summary." + id);
  auto summary = decode_as<tend::Summary>(*summary_msg);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->task_id(), id);
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("db-01"));
}

TEST_F(Mesh, ARequestStraightToAHostIsAnsweredWithItsResult) {
  auto reply = stack().client().request_raw("tend.task.host.web-03",
                                            R"({"id": "direct-2", "plugin": "noop"})", kArrival);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->encoding(), Encoding::kJson);
  auto result = decode_as<tend::Result>(*reply);
  ASSERT_TRUE(result) << result.error().message << ": " << reply->data();
  EXPECT_EQ(result->task_id(), "direct-2");
  EXPECT_EQ(result->host(), "web-03");
  EXPECT_EQ(result->status(), tend::SUCCEEDED);
}

TEST_F(Mesh, TheSameTaskDeliveredTwiceRunsOnceAndTheSecondGetsTheFirstResult) {
  const char* task = R"({"id": "twice-1", "plugin": "noop", "params": {"sleep_ms": 50}})";
  auto first = stack().client().request_raw("tend.task.host.web-03", task, kArrival);
  ASSERT_TRUE(first) << first.error().message;
  auto second = stack().client().request_raw("tend.task.host.web-03", task, kArrival);
  ASSERT_TRUE(second) << second.error().message;
  auto a = decode_as<tend::Result>(*first);
  auto b = decode_as<tend::Result>(*second);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status(), tend::SUCCEEDED);
  // Not run again: the very same result, down to when it started.
  EXPECT_EQ(b->started_at().seconds(), a->started_at().seconds());
  EXPECT_EQ(b->started_at().nanos(), a->started_at().nanos());
  EXPECT_EQ(b->duration_ms(), a->duration_ms());
}

TEST_F(Mesh, AProtobufRequestStraightToAHostIsAnsweredInProtobuf) {
  tend::Task task;
  task.set_id("direct-3");
  task.set_plugin("noop");
  auto reply =
      stack().client().request("tend.task.host.db-01", task, Encoding::kProtobuf, kArrival);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->encoding(), Encoding::kProtobuf);
  auto result = decode_as<tend::Result>(*reply);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->host(), "db-01");
  EXPECT_EQ(result->status(), tend::SUCCEEDED);
}

TEST_F(Mesh, AProtobufSubmitIsAnsweredInProtobuf) {
  tend::Task task;
  task.set_plugin("noop");
  task.mutable_target()->add_roles("web-server");
  auto reply = stack().client().request("tend.submit", task, Encoding::kProtobuf, kSubmitTimeout);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->encoding(), Encoding::kProtobuf);
  auto summary = decode_as<tend::Summary>(*reply);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->text(), "3/3 succeeded");
}

TEST_F(Mesh, SubmitWithoutWaitingIsAcceptedAtOnceAndSummarisedLater) {
  MessageInbox summaries;
  auto sub = stack().client().subscribe("tend.summary.no-wait-1", summaries.handler());
  ASSERT_TRUE(sub);
  ASSERT_TRUE(stack().client().flush(2s));

  auto started = std::chrono::steady_clock::now();
  auto reply = stack().submit_json(R"({"id": "no-wait-1", "target": {"roles": ["web-server"]},
                                       "plugin": "noop", "params": {"sleep_ms": 1000},
                                       "wait": false})",
                                   kSubmitTimeout);
  auto answered_after = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(reply) << reply.error().message;
  auto accepted = reply->accepted();
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_LT(answered_after, 1000ms) << "the answer waited for the task";
  EXPECT_EQ(accepted->task_id(), "no-wait-1");
  EXPECT_EQ(accepted->expected(), 3u);
  EXPECT_THAT(hosts_of(accepted->expected_hosts()), ElementsAre("web-01", "web-02", "web-03"));

  auto summary_msg = summaries.next(kArrival);
  ASSERT_TRUE(summary_msg) << "no Summary on tend.summary.no-wait-1";
  auto summary = decode_as<tend::Summary>(*summary_msg);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->text(), "3/3 succeeded");
}

// --- bad input: a clear error, and nothing changes -----------------------

TEST_F(Mesh, MalformedJsonIsRefused) {
  auto why = refusal(stack(), R"({"target": {"all": true}, "plugin": "noop")");
  ASSERT_TRUE(why) << why.error().message;
  EXPECT_THAT(*why, HasSubstr("JSON"));
  expect_fleet_still_serves();
}

TEST_F(Mesh, AnUnknownFieldIsRefusedByName) {
  auto why = refusal(stack(), R"({"target": {"all": true}, "plugin": "noop", "colour": "red"})");
  ASSERT_TRUE(why) << why.error().message;
  EXPECT_THAT(*why, HasSubstr("colour"));
  expect_fleet_still_serves();
}

TEST_F(Mesh, AnInvalidNameInTheTargetIsRefused) {
  auto why = refusal(stack(), R"({"target": {"hosts": ["web.01"]}, "plugin": "noop"})");
  ASSERT_TRUE(why) << why.error().message;
  EXPECT_THAT(*why, HasSubstr("web.01"));
  expect_fleet_still_serves();
}

TEST_F(Mesh, AnUnknownPluginIsRejectedByEveryTargetedAgent) {
  auto summary =
      run(stack(), R"({"target": {"roles": ["web-server"]}, "plugin": "no-such-plugin"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01", "web-02", "web-03"));
  for (const auto& result : summary->results()) {
    EXPECT_EQ(result.status(), tend::REJECTED) << result.host();
    EXPECT_THAT(result.error(), HasSubstr("no-such-plugin")) << result.host();
  }
  EXPECT_EQ(summary->failed(), 3u);
  EXPECT_THAT(summary->text(), AllOf(HasSubstr("0/3 succeeded"), HasSubstr("REJECTED")));
  expect_fleet_still_serves();
}

TEST_F(Mesh, AnUndecodableTaskSentStraightIsAnsweredByEveryAgentThatGotIt) {
  MessageInbox replies;
  const std::string inbox = stack().client().new_inbox();
  auto sub = stack().client().subscribe(inbox, replies.handler());
  ASSERT_TRUE(sub);
  ASSERT_TRUE(stack().client().flush(2s));

  ASSERT_TRUE(stack().client().publish_raw("tend.task.role.web-server", "this is not JSON", inbox));

  auto answers = replies.take(3, kArrival);
  std::vector<std::string> errors;
  for (const auto& msg : answers) {
    auto reply = decode_as<tend::ErrorReply>(msg);
    ASSERT_TRUE(reply) << reply.error().message << ": " << msg.data();
    errors.push_back(reply->error());
  }
  std::sort(errors.begin(), errors.end());
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_THAT(errors[0], HasSubstr("web-01"));
  EXPECT_THAT(errors[1], HasSubstr("web-02"));
  EXPECT_THAT(errors[2], HasSubstr("web-03"));
  expect_fleet_still_serves();
  EXPECT_THAT(replies.take_all(), IsEmpty()) << "only the agents answer";
}

}  // namespace
}  // namespace tend::testing
