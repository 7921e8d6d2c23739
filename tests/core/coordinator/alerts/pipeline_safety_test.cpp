// The alert pipeline's safety nets and escalations: circuit breakers, the
// blast radius, the emergency stop, and what humans are told.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bus/codec.h"
#include "core/coordinator/alerts/alert_requests.h"
#include "tests/core/coordinator/alerts/pipeline_examples.h"
#include "tests/core/coordinator/alerts/pipeline_fixture.h"
#include "tests/plugins/support/loopback_http_server.h"
#include "tests/support/eventually.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// --- breakers, blast radius, emergency stop ----------------------------------------

TEST_F(PipelineTest, TheFourthAutomaticFixInAnHourOnOneHostIsEscalated) {
  start(kRoutes);
  serve_requests();
  for (size_t i = 0; i < 3; ++i) {
    fire(disk_full_at("/data" + std::to_string(i)));
    ASSERT_EQ(runner_.wait_for(i + 1, 5s).size(), i + 1);
    runner_.finish(i, true);
    settle();
    advance(60s);
  }
  fire(disk_full_at("/data3"));
  EXPECT_EQ(runner_.count(), 3u);
  EXPECT_EQ(text("SELECT status FROM incidents ORDER BY id DESC LIMIT 1"), "escalated");
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              HasSubstr("3 automatic fixes for noop on web-01 within the last hour"));
  fire(disk_full_at("/data4", "web-02"));
  EXPECT_EQ(runner_.wait_for(4, 5s).size(), 4u) << "another host has its own limit";

  tend::BreakerList list;
  ASSERT_TRUE(decode(ask(subjects_.breakers(), ""), Encoding::kJson, list));
  bool open = false;
  for (const auto& b : list.breakers()) open |= b.kind() == "rate" && b.state() == "open";
  EXPECT_TRUE(open);
  EXPECT_THAT(
      ask(subjects_.breakers_reset(), R"({"kind":"rate","key":"noop@web-01","by":"alice"})"),
      HasSubstr("say why"));
  EXPECT_THAT(ask(subjects_.breakers_reset(),
                  R"({"kind":"rate","key":"noop@web-01","by":"alice","reason":"disk replaced"})"),
              HasSubstr("closed"));
  EXPECT_EQ(text("SELECT state FROM breakers WHERE kind = 'rate'"), "closed");
  fire(disk_full_at("/data5"));
  EXPECT_EQ(runner_.wait_for(5, 5s).size(), 5u) << "reset: it may run again";
  EXPECT_THAT(store_.actions(), Contains("breaker-reset"));
}

TEST_F(PipelineTest, TwoFailedFixesOfAPatternEscalateTheNextOneAcrossARestart) {
  start(kRoutes);
  serve_requests();
  fire(disk_full_on("web-01"));
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, false, "cleanup failed");
  settle();
  fire(disk_full_on("web-02"));  // demoted: it waits for approval
  const std::string second = text("SELECT task_id FROM approvals WHERE state = 'pending'");
  ASSERT_THAT(ask(subjects_.approve(second), R"({"by":"alice"})"), HasSubstr("approved"));
  ASSERT_EQ(runner_.wait_for(2, 5s).size(), 2u);
  runner_.finish(1, false, "cleanup failed again");
  settle();
  EXPECT_EQ(text("SELECT state FROM breakers WHERE kind = 'pattern'"), "open");

  start(kRoutes);  // a restart remembers it
  fire(disk_full_on("web-03"));
  EXPECT_EQ(text("SELECT status FROM incidents ORDER BY id DESC LIMIT 1"), "escalated");
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              HasSubstr("the last 2 fixes of disk-full failed"));
  EXPECT_EQ(runner_.count(), 2u);
  EXPECT_THAT(store_.actions(), Contains("breaker-open"));

  advance(1800s);  // after the cool-down the breaker lets a probe through...
  fire(disk_full_on("web-04"));
  EXPECT_EQ(text("SELECT state FROM breakers WHERE kind = 'pattern'"), "half_open");
  // ...but two failures cost the pattern its confidence too (48%): a human decides.
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              Not(HasSubstr("breaker")));
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              HasSubstr("confidence 48% (0 verified, 2 failed, prior 95%): escalated"));
}

TEST_F(PipelineTest, WhenTooManyAutomaticFixesFailFleetWideTheRestArePaused) {
  config_.breakers.fleet_min_fixes = 2;
  start(kRoutes);
  fire(disk_full_on("web-01"));
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, false, "broken");
  settle();
  fire(kServiceDown);  // another pattern, on web-02
  ASSERT_EQ(runner_.wait_for(2, 5s).size(), 2u);
  runner_.finish(1, true);
  settle();
  resolve(kServiceDown);  // verified: 1 of 2 failed, 50%
  EXPECT_EQ(text("SELECT state FROM breakers WHERE kind = 'fleet'"), "open");
  fire({{"alertname", "ServiceDown"}, {"instance", "web-03:9100"}});
  EXPECT_EQ(runner_.count(), 2u);
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              HasSubstr("1 of 2 automatic fixes failed within 1h (50%, more than [breakers] "
                        "fleet_failure_rate 10%): automatic fixes are paused fleet-wide"));
}

TEST_F(PipelineTest, AFixForMoreThanAQuarterOfTheFleetNeedsApproval) {
  start(R"(
[[route]]
name = "web-slow"
alert = "WebSlow"
plugin = "noop"
target = { roles = ["web"] }
prior_confidence = 0.99
)");
  fire({{"alertname", "WebSlow"}});
  EXPECT_EQ(runner_.count(), 0u);
  EXPECT_EQ(text("SELECT decision FROM incidents"), "approval");
  EXPECT_THAT(text("SELECT why FROM incidents"),
              HasSubstr("the target roles=web means 4 of 4 nodes (100%), more than [blast_radius] "
                        "max_share 25%"));
}

TEST_F(PipelineTest, AFixForMoreNodesThanAllowedNeedsApproval) {
  config_.blast_radius.max_nodes = 2;
  config_.blast_radius.max_share = 1.0;
  start(R"(
[[route]]
name = "web-slow"
alert = "WebSlow"
plugin = "noop"
target = { all = true }
prior_confidence = 0.99
)");
  fire({{"alertname", "WebSlow"}});
  EXPECT_THAT(text("SELECT why FROM incidents"),
              HasSubstr("means 4 nodes, more than [blast_radius] max_nodes 2"));
}

TEST_F(PipelineTest, AFixForAHostWithoutAnAgentIsEscalated) {
  start(kRoutes);
  fire(disk_full_on("web-09"));
  EXPECT_EQ(runner_.count(), 0u);
  EXPECT_THAT(text("SELECT why FROM incidents"),
              HasSubstr("no tend agent matches the fix's target hosts=web-09"));
}

TEST_F(PipelineTest, TheEmergencyStopHoldsEveryFixAcrossARestartUntilResumed) {
  config_.hold = 60s;
  start(kRoutes);
  serve_requests();
  fire(disk_full_on("web-01"));
  EXPECT_EQ(text("SELECT status FROM incidents"), "held");
  control_all("pause", "alice", "database migration");
  EXPECT_EQ(text("SELECT status FROM incidents"), "escalated") << "a held fix does not run";
  EXPECT_EQ(text("SELECT active::text || ' ' || by FROM alert_controls"), "true alice");

  start(kRoutes);  // a restart: still stopped
  serve_requests();
  fire(disk_full_on("web-02"));
  advance(120s);
  EXPECT_EQ(runner_.count(), 0u);
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              HasSubstr("emergency stop by alice: database migration"));
  tend::BreakerList list;
  ASSERT_TRUE(decode(ask(subjects_.breakers(), ""), Encoding::kJson, list));
  EXPECT_TRUE(list.emergency_stop().active());
  EXPECT_EQ(list.emergency_stop().by(), "alice");

  control_all("resume", "alice", "migration done");
  fire(disk_full_on("web-03"));
  advance(61s);
  EXPECT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  EXPECT_THAT(store_.actions(), Contains("emergency-stop"));
  EXPECT_THAT(store_.actions(), Contains("emergency-resume"));
}

TEST_F(PipelineTest, NoFixIsApprovedDuringTheEmergencyStop) {
  start(kUnprovenRoute);
  serve_requests();
  fire(disk_full_on("web-01"));
  const std::string task_id = text("SELECT task_id FROM approvals");
  control_all("pause", "bob", "");
  EXPECT_THAT(ask(subjects_.approve(task_id), R"({"by":"alice"})"),
              HasSubstr("not approved: fixes are stopped (emergency stop by bob)"));
  EXPECT_EQ(text("SELECT state FROM approvals"), "pending") << "it keeps waiting";
  control_all("resume", "bob", "");
  EXPECT_THAT(ask(subjects_.approve(task_id), R"({"by":"alice"})"), HasSubstr("approved"));
  EXPECT_EQ(runner_.wait_for(1, 5s).size(), 1u);
}

TEST_F(PipelineTest, PausingOneHostIsNotTheEmergencyStop) {
  start(kRoutes);
  tend::Control pause;
  pause.set_action("pause");
  pipeline_->control_seen(subjects_.control("web-02"), pause);
  settle();
  fire(disk_full_on("web-01"));
  EXPECT_EQ(runner_.wait_for(1, 5s).size(), 1u);
}

// --- escalation ------------------------------------------------------------------

TEST_F(PipelineTest, EveryEscalationIsPublishedForHumans) {
  start(kRoutes);
  Escalations escalations(*nats_, subjects_);
  fire({{"alertname", "CpuOnFire"}, {"instance", "db-01:9100"}}, {{"summary", "load 40"}});
  auto e = escalations.next();
  EXPECT_EQ(e.kind(), "escalation");
  EXPECT_EQ(e.alertname(), "CpuOnFire");
  EXPECT_EQ(e.host(), "db-01");
  EXPECT_THAT(e.what_fired(), HasSubstr("CpuOnFire on db-01: load 40"));
  EXPECT_EQ(e.what_was_tried(), "nothing: no route covers this alert");
  EXPECT_THAT(e.why(), HasSubstr("no route in routes.toml matches alert CpuOnFire"));
  EXPECT_THAT(e.look_at(), HasSubstr("add a route for CpuOnFire"));

  resolve({{"alertname", "CpuOnFire"}, {"instance", "db-01:9100"}});
  EXPECT_EQ(escalations.next().kind(), "resolved") << "those who were told hear it is over";

  fire(disk_full_on("web-01"));
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, false, "read-only filesystem");
  settle();
  auto failed = escalations.next();
  EXPECT_EQ(failed.kind(), "escalation");
  EXPECT_THAT(failed.what_was_tried(), HasSubstr("noop on hosts=web-01"));
  EXPECT_THAT(failed.what_it_found(), HasSubstr("web-01 FAILED: read-only filesystem"));
}

TEST_F(PipelineTest, AFixWaitingForApprovalIsAnnounced) {
  start(kUnprovenRoute);
  Escalations escalations(*nats_, subjects_);
  fire(disk_full_on("web-01"));
  auto e = escalations.next();
  EXPECT_EQ(e.kind(), "approval_request");
  EXPECT_EQ(e.task_id(), text("SELECT task_id FROM approvals"));
  EXPECT_THAT(e.look_at(), HasSubstr("tendctl approve " + e.task_id()));
}

TEST_F(PipelineTest, ABreakerThatOpensIsAnnouncedOnItsOwn) {
  start(kRoutes);
  serve_requests();
  Escalations escalations(*nats_, subjects_);
  fire(disk_full_on("web-01"));
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, false, "broken");
  settle();
  fire(disk_full_on("web-02"));  // demoted: approved by hand, and it fails too
  ask(subjects_.approve(text("SELECT task_id FROM approvals")), R"({"by":"alice"})");
  ASSERT_EQ(runner_.wait_for(2, 5s).size(), 2u);
  runner_.finish(1, false, "broken");
  settle();
  std::vector<std::string> kinds;
  for (int i = 0; i < 4; ++i) kinds.push_back(escalations.next().kind());
  EXPECT_THAT(kinds, ElementsAre("escalation", "approval_request", "breaker", "escalation"));
}

TEST_F(PipelineTest, ConfiguredNotifiersGetTheEscalation) {
  // A generic webhook receiver: a local HTTP server the test owns.
  std::mutex mu;
  std::vector<std::string> bodies;
  testing::LoopbackHttpServer receiver([&](httplib::Server& s) {
    s.Post("/tend", [&](const httplib::Request& req, httplib::Response&) {
      std::lock_guard lock(mu);
      bodies.push_back(req.body);
    });
  });
  NotifierConfig webhook;
  webhook.name = "ops-webhook";
  webhook.url = receiver.url("/tend");
  config_.notifiers.push_back(webhook);
  start(kRoutes);
  fire({{"alertname", "CpuOnFire"}});
  testing::eventually(
      [&] {
        std::lock_guard lock(mu);
        return !bodies.empty();
      },
      2s);
  std::lock_guard lock(mu);
  ASSERT_EQ(bodies.size(), 1u);
  tend::Escalation e;
  ASSERT_TRUE(decode(bodies[0], Encoding::kJson, e)) << bodies[0];
  EXPECT_EQ(e.alertname(), "CpuOnFire");
}

}  // namespace
}  // namespace tend::alerts
