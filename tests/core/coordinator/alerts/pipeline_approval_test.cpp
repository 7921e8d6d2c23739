// The alert pipeline's fixes that wait for a human: approve, deny, expiry,
// and what survives a restart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bus/codec.h"
#include "core/coordinator/alerts/alert_requests.h"
#include "tests/core/coordinator/alerts/pipeline_examples.h"
#include "tests/core/coordinator/alerts/pipeline_fixture.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;

// --- approvals -------------------------------------------------------------------

TEST_F(PipelineTest, AFixThatHasNotEarnedAutonomyWaitsAndRunsOnceApproved) {
  start(kUnprovenRoute);
  serve_requests();
  fire(disk_full_on("web-01"), {{"summary", "92% full"}});
  EXPECT_EQ(runner_.count(), 0u);
  EXPECT_EQ(text("SELECT status FROM incidents"), "pending_approval");
  const std::string task_id = text("SELECT task_id FROM approvals WHERE state = 'pending'");
  ASSERT_FALSE(task_id.empty());
  EXPECT_EQ(text("SELECT task_id FROM incidents"), task_id);

  tend::PendingList pending;
  ASSERT_TRUE(decode(ask(subjects_.pending(), ""), Encoding::kJson, pending));
  ASSERT_EQ(pending.approvals_size(), 1);
  EXPECT_EQ(pending.approvals(0).task_id(), task_id);
  EXPECT_EQ(pending.approvals(0).plugin(), "noop");
  EXPECT_THAT(pending.approvals(0).reason(), HasSubstr("DiskFull on web-01: 92% full"));
  EXPECT_THAT(pending.approvals(0).why(), HasSubstr("waits for approval"));

  const std::string approved =
      ask(subjects_.approve(task_id), R"({"by": "alice", "comment": "cleanup is fine"})");
  EXPECT_THAT(approved, HasSubstr("approved"));
  auto tasks = runner_.wait_for(1, 5s);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].id(), task_id) << "the fix runs as the task that was approved";
  EXPECT_EQ(tasks[0].approved_by(), "alice");
  EXPECT_FALSE(tasks[0].force()) << "the nodes' maintenance windows still apply";
  EXPECT_EQ(text("SELECT state || ' ' || answered_by || ' ' || comment FROM approvals"),
            "approved alice cleanup is fine");
  bool audited = false;
  for (const auto& e : store_.entries()) {
    if (e.action == "approve") {
      audited = true;
      EXPECT_EQ(e.actor, "alice");
      EXPECT_EQ(e.reason, "cleanup is fine");
      EXPECT_EQ(e.task_id, task_id);
    }
  }
  EXPECT_TRUE(audited);
  runner_.finish(0, true);
  settle();
  EXPECT_EQ(count("SELECT count(*) FROM kb_outcomes WHERE outcome = 'verified' AND NOT automatic"),
            1)
      << "an approved fix teaches the knowledge base too";
  ASSERT_TRUE(decode(ask(subjects_.pending(), ""), Encoding::kJson, pending));
  EXPECT_EQ(pending.approvals_size(), 0) << "nothing waits any more";
}

TEST_F(PipelineTest, AnApproverMayLetTheFixRunOutsideTheNodesWindows) {
  start(kUnprovenRoute);
  serve_requests();
  fire(disk_full_on("web-01"));
  const std::string task_id = text("SELECT task_id FROM approvals");
  EXPECT_THAT(ask(subjects_.approve(task_id), R"({"by": "alice", "force": true})"),
              HasSubstr("even outside the nodes' maintenance windows"));
  auto tasks = runner_.wait_for(1, 5s);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_TRUE(tasks[0].force());
  EXPECT_EQ(tasks[0].approved_by(), "alice") << "the agent heeds force only with who approved";
}

TEST_F(PipelineTest, ADeniedFixNeverRunsAndIsEscalated) {
  start(kUnprovenRoute);
  serve_requests();
  Escalations escalations(*nats_, subjects_);
  fire(disk_full_on("web-01"));
  EXPECT_EQ(escalations.next().kind(), "approval_request");
  const std::string task_id = text("SELECT task_id FROM approvals");
  EXPECT_THAT(ask(subjects_.deny(task_id), R"({"by": "bob", "comment": "disk is being replaced"})"),
              HasSubstr("denied"));
  auto e = escalations.next();
  EXPECT_EQ(e.kind(), "escalation") << "the alert still fires and nothing will fix it";
  EXPECT_THAT(e.why(), HasSubstr("denied by bob: disk is being replaced"));
  const auto audited = store_.entries();
  EXPECT_EQ(std::count_if(audited.begin(), audited.end(),
                          [](const auto& a) { return a.action == "escalate"; }),
            1);
  advance(7200s);
  EXPECT_EQ(runner_.count(), 0u);
  EXPECT_EQ(text("SELECT state FROM approvals"), "denied");
  EXPECT_THAT(text("SELECT resolution FROM incidents"),
              HasSubstr("denied by bob: disk is being replaced"));
  EXPECT_THAT(ask(subjects_.approve(task_id), R"({"by": "alice"})"),
              HasSubstr("no fix waits for approval as task"))
      << "answered once only";
}

TEST_F(PipelineTest, AnApprovalThatExpiresIsDeniedAndEscalated) {
  config_.approvals.ttl = std::chrono::hours(1);
  start(kUnprovenRoute);
  fire(disk_full_on("web-01"));
  advance(3599s);
  EXPECT_EQ(text("SELECT state FROM approvals"), "pending");
  advance(1s);
  EXPECT_EQ(text("SELECT state FROM approvals"), "expired");
  EXPECT_EQ(text("SELECT status FROM incidents"), "escalated");
  EXPECT_THAT(text("SELECT resolution FROM incidents"),
              HasSubstr("nobody approved noop on hosts=web-01 within 1h: denied"));
  EXPECT_THAT(store_.actions(), Contains("approval-expired"));
  EXPECT_EQ(runner_.count(), 0u);
}

TEST_F(PipelineTest, AResolvedAlertCancelsAPendingApproval) {
  start(kUnprovenRoute);
  serve_requests();
  fire(disk_full_on("web-01"));
  const std::string task_id = text("SELECT task_id FROM approvals");
  resolve(disk_full_on("web-01"));
  EXPECT_EQ(text("SELECT state FROM approvals"), "cancelled");
  EXPECT_EQ(text("SELECT status || ' ' || outcome FROM incidents"), "closed cancelled");
  EXPECT_THAT(ask(subjects_.approve(task_id), R"({"by": "alice"})"), HasSubstr("no fix waits"));
  EXPECT_EQ(runner_.count(), 0u);
}

TEST_F(PipelineTest, PendingApprovalsSurviveARestart) {
  start(kUnprovenRoute);
  fire(disk_full_on("web-01"));
  const std::string task_id = text("SELECT task_id FROM approvals");
  start(kUnprovenRoute);  // a new coordinator
  serve_requests();
  EXPECT_THAT(ask(subjects_.approve(task_id), R"({"by": "carol"})"), HasSubstr("approved"));
  EXPECT_EQ(runner_.wait_for(1, 5s).size(), 1u);
}

TEST_F(PipelineTest, AnAnswerSaysWho) {
  start(kUnprovenRoute);
  serve_requests();
  fire(disk_full_on("web-01"));
  const std::string task_id = text("SELECT task_id FROM approvals");
  EXPECT_THAT(ask(subjects_.approve(task_id), "{}"), HasSubstr("say who approves"));
  EXPECT_THAT(ask(subjects_.approve(task_id), R"({"by": "x", "why": "y"})"), HasSubstr("why"))
      << "an unknown field is refused, naming it";
  EXPECT_EQ(runner_.count(), 0u);
}

}  // namespace
}  // namespace tend::alerts
