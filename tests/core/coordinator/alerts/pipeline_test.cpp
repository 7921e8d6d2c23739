// The alert pipeline from alert to incident, as a specification: what
// becomes an incident, what runs, what is escalated, and how it ends; what
// the knowledge base learns. Approvals and the safety nets have files of
// their own (pipeline_approval_test.cpp, pipeline_safety_test.cpp).
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
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(PipelineTest, AFiringAlertBecomesAnIncidentAndItsFixRuns) {
  start(kRoutes);
  fire(kDiskFull, {{"summary", "disk 92% full"}});
  auto tasks = runner_.wait_for(1, 5s);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].plugin(), "noop");
  EXPECT_EQ(tasks[0].target().hosts(0), "web-01");
  EXPECT_EQ(tasks[0].params().fields().at("path").string_value(), "/var");
  EXPECT_EQ(tasks[0].requested_by(), "alertmanager");
  EXPECT_FALSE(tasks[0].id().empty());
  EXPECT_EQ(text("SELECT status FROM incidents"), "running");
  EXPECT_EQ(text("SELECT task_id FROM incidents"), tasks[0].id());

  clock_.advance(42s);
  runner_.finish(0, true);
  settle();
  EXPECT_EQ(text("SELECT status || ' ' || outcome FROM incidents"), "closed verified");
  EXPECT_THAT(text("SELECT resolution FROM incidents"), HasSubstr("verified by noop"));
  EXPECT_EQ(count("SELECT time_to_remediate_ms FROM incidents"), 42000);
  EXPECT_EQ(count("SELECT count(*) FROM incidents WHERE resolved_at IS NOT NULL"), 1);
  EXPECT_THAT(store_.actions(), ElementsAre("alert", "decision", "fix", "outcome"));
  EXPECT_EQ(store_.entries()[2].task_id, tasks[0].id()) << "the audit trail links the fix";
}

TEST_F(PipelineTest, TheSameAlertFromTwoAlertmanagersIsOneIncident) {
  start(kRoutes);
  fire(kDiskFull);
  fire(kDiskFull);  // the other Alertmanager of the pair
  advance(30s);
  fire(kDiskFull);  // a repeat at its group_interval
  EXPECT_EQ(runner_.count(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM incidents"), 1);
  EXPECT_EQ(count("SELECT repeats FROM incidents"), 2);
}

TEST_F(PipelineTest, AnUnknownAlertIsEscalatedAsANewPattern) {
  start(kRoutes);
  fire({{"alertname", "CpuOnFire"}, {"instance", "db-01:9100"}});
  EXPECT_EQ(runner_.count(), 0u);
  EXPECT_EQ(text("SELECT status FROM incidents"), "escalated");
  EXPECT_EQ(text("SELECT pattern FROM incidents"), "CpuOnFire");
  EXPECT_THAT(text("SELECT why FROM incidents"), HasSubstr("no route in routes.toml matches"));
  EXPECT_THAT(store_.actions(), Contains("escalate"));

  resolve({{"alertname", "CpuOnFire"}, {"instance", "db-01:9100"}});
  EXPECT_EQ(text("SELECT status FROM incidents"), "closed");
  EXPECT_THAT(text("SELECT resolution FROM incidents"), HasSubstr("the alert resolved"));
}

TEST_F(PipelineTest, AResolvedAlertNeverStartsAFix) {
  start(kRoutes);
  resolve(kDiskFull);
  EXPECT_EQ(runner_.count(), 0u);
  EXPECT_EQ(count("SELECT count(*) FROM incidents"), 0);
}

TEST_F(PipelineTest, AResolvedAlertCancelsAFixStillHeld) {
  config_.hold = 60s;
  start(kRoutes);
  fire(kDiskFull);
  EXPECT_EQ(text("SELECT status FROM incidents"), "held");
  resolve(kDiskFull);
  EXPECT_EQ(text("SELECT status || ' ' || outcome FROM incidents"), "closed cancelled");
  advance(120s);
  EXPECT_EQ(runner_.count(), 0u) << "the cancelled fix never runs";
}

TEST_F(PipelineTest, AHeldFixRunsWhenTheAlertKeepsFiring) {
  config_.hold = 60s;
  start(kRoutes);
  fire(kDiskFull);
  advance(30s);
  EXPECT_EQ(runner_.count(), 0u);
  advance(31s);
  EXPECT_EQ(runner_.wait_for(1, 5s).size(), 1u);
}

TEST_F(PipelineTest, AFixThatFailsIsEscalatedAndStaysOpen) {
  start(kRoutes);
  fire(kDiskFull);
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, false, "permission denied");
  settle();
  EXPECT_EQ(text("SELECT status || ' ' || outcome FROM incidents"), "escalated failed");
  EXPECT_THAT(text("SELECT resolution FROM incidents"), HasSubstr("permission denied"));
  EXPECT_EQ(count("SELECT count(*) FROM incidents WHERE resolved_at IS NULL"), 1);
  fire(kDiskFull);
  EXPECT_EQ(runner_.count(), 1u) << "an escalated incident is a human's now: no retry";
}

TEST_F(PipelineTest, VerifiedMeansTheAlertResolvedWithinTheLimit) {
  start(kRoutes);
  fire(kServiceDown);
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, true);
  settle();
  EXPECT_EQ(text("SELECT status FROM incidents"), "verifying")
      << "the plugin's verify is not enough for this route";
  advance(90s);
  resolve(kServiceDown);
  EXPECT_EQ(text("SELECT status || ' ' || outcome FROM incidents"), "closed verified");
  EXPECT_THAT(text("SELECT resolution FROM incidents"),
              HasSubstr("the alert resolved 1m30s after"));
}

TEST_F(PipelineTest, AFixWhoseAlertKeepsFiringPastTheLimitFailed) {
  start(kRoutes);
  fire(kServiceDown);
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, true);
  settle();
  advance(601s);
  EXPECT_EQ(text("SELECT status || ' ' || outcome FROM incidents"), "escalated failed");
  EXPECT_THAT(text("SELECT resolution FROM incidents"), HasSubstr("the alert still fired 10m"));
}

TEST_F(PipelineTest, AFixFromBeforeARestartIsFinishedFromTheStore) {
  start(kRoutes);
  fire(kDiskFull);
  auto tasks = runner_.wait_for(1, 5s);
  ASSERT_EQ(tasks.size(), 1u);
  stop();  // the coordinator went down with the fix in flight...
  // ...and the next one finished it and stored the summary.
  tend::Summary summary;
  summary.set_task_id(tasks[0].id());
  summary.set_expected(1);
  summary.set_responded(1);
  summary.set_succeeded(1);
  summary.set_text("1/1 succeeded");
  auto* r = summary.add_results();
  r->set_host("web-01");
  r->set_status(tend::SUCCEEDED);
  r->set_verified(true);
  ASSERT_TRUE(conn_->exec(
      "INSERT INTO tasks (id, plugin, origin, target, timeout_s, expected_hosts, dispatched_at, "
      "deadline, owner, task, finished_at, summary) VALUES ($1, 'noop', 'alert', 'hosts=web-01', "
      "30, '{web-01}', now(), now(), 'x', '\\x', now(), $2)",
      {tasks[0].id(), store::PgConnection::bytea_text(summary.SerializeAsString())}));
  start(kRoutes);
  for (int i = 0; i < 50 && text("SELECT status FROM incidents") != "closed"; ++i) advance(1s);
  EXPECT_EQ(text("SELECT status || ' ' || outcome FROM incidents"), "closed verified");
  EXPECT_EQ(runner_.count(), 1u) << "not run again";
}

TEST_F(PipelineTest, AnOpenIncidentOutlivesARestart) {
  start(kRoutes);
  fire({{"alertname", "CpuOnFire"}});
  start(kRoutes);
  advance(600s);  // well past the dedupe window
  fire({{"alertname", "CpuOnFire"}});
  EXPECT_EQ(count("SELECT count(*) FROM incidents"), 1);
  EXPECT_EQ(count("SELECT repeats FROM incidents"), 1);
}

TEST_F(PipelineTest, TendctlListsIncidentsOverNats) {
  start(kRoutes);
  AlertRequests requests(*nats_, subjects_, *pipeline_);
  ASSERT_TRUE(requests.subscribe());
  ASSERT_TRUE(nats_->flush(2s));
  fire({{"alertname", "CpuOnFire"}});
  fire(kDiskFull);
  runner_.wait_for(1, 5s);
  runner_.finish(0, true);
  settle();

  tend::IncidentQuery open_only;
  open_only.set_open_only(true);
  auto reply = nats_->request(subjects_.incidents(), open_only, Encoding::kJson, 5s);
  ASSERT_TRUE(reply) << reply.error().message;
  tend::IncidentList list;
  ASSERT_TRUE(reply->decode(list)) << reply->data();
  ASSERT_EQ(list.incidents_size(), 1);
  EXPECT_EQ(list.incidents(0).alertname(), "CpuOnFire");
  EXPECT_TRUE(list.incidents(0).escalated());

  auto all = nats_->request_raw(subjects_.incidents(), "", 5s);
  ASSERT_TRUE(all);
  ASSERT_TRUE(all->decode(list));
  EXPECT_EQ(list.incidents_size(), 2);
  EXPECT_EQ(list.incidents(0).outcome(), "verified") << "newest first";

  auto bad = nats_->request_raw(subjects_.incidents(), R"({"open":true})", 5s);
  ASSERT_TRUE(bad);
  EXPECT_THAT(std::string(bad->data()), HasSubstr("open"));
}

// --- the knowledge base ------------------------------------------------------

TEST_F(PipelineTest, AFailedFixCostsThePatternItsAutonomy) {
  start(kRoutes);
  fire(disk_full_on("web-01"));
  ASSERT_EQ(runner_.wait_for(1, 5s).size(), 1u);
  runner_.finish(0, false, "no space left to clean");
  settle();
  EXPECT_EQ(text("SELECT occurrences || ' ' || attempts || ' ' || successes || ' ' || failures || "
                 "' ' || last_outcome FROM knowledge_base WHERE pattern = 'disk-full'"),
            "1 1 0 1 failed");
  EXPECT_EQ(count("SELECT count(*) FROM kb_outcomes WHERE outcome = 'failed' AND automatic"), 1);

  fire(disk_full_on("web-02"));
  EXPECT_EQ(runner_.count(), 1u) << "the second DiskFull does not run on its own";
  EXPECT_EQ(text("SELECT decision FROM incidents ORDER BY id DESC LIMIT 1"), "approval");
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              HasSubstr("the last fix of this pattern failed"));
}

TEST_F(PipelineTest, ConfidenceIsEarnedFromVerifiedOutcomesKeptInPostgres) {
  start(kUnprovenRoute);
  fire(disk_full_on("web-01"));
  EXPECT_EQ(runner_.count(), 0u) << "60% waits for a human";
  EXPECT_EQ(text("SELECT decision || ' ' || round(confidence::numeric, 2) FROM incidents"),
            "approval 0.60");
  stop();
  // Seven verified fixes later (as a previous coordinator recorded them):
  ASSERT_TRUE(
      conn_->exec("UPDATE knowledge_base SET successes = 7, attempts = 7, "
                  "last_outcome = 'verified' WHERE pattern = 'disk-full'"));
  start(kUnprovenRoute);
  fire(disk_full_on("web-02"));
  EXPECT_EQ(runner_.wait_for(1, 5s).size(), 1u) << "91% runs on its own";
  EXPECT_THAT(text("SELECT why FROM incidents ORDER BY id DESC LIMIT 1"),
              HasSubstr("confidence 91% (7 verified, 0 failed, prior 60%): runs on its own"));
}

TEST_F(PipelineTest, AnUnknownAlertIsRememberedAsANewPattern) {
  start(kRoutes);
  fire({{"alertname", "CpuOnFire"}, {"instance", "db-01:9100"}});
  fire({{"alertname", "CpuOnFire"}, {"instance", "db-02:9100"}});
  EXPECT_EQ(text("SELECT plugin || ':' || occurrences FROM knowledge_base WHERE pattern = "
                 "'CpuOnFire'"),
            ":2");
}

TEST_F(PipelineTest, PromotionsAndDemotionsComeOverNatsAndAreAudited) {
  start(kUnprovenRoute);
  AlertRequests requests(*nats_, subjects_, *pipeline_);
  ASSERT_TRUE(requests.subscribe());
  ASSERT_TRUE(nats_->flush(2s));
  fire(disk_full_on("web-01"));

  auto adjust = [&](const std::string& json) {
    auto reply = nats_->request_raw(subjects_.kb_adjust(), json, 5s);
    EXPECT_TRUE(reply) << reply.error().message;
    return reply ? std::string(reply->data()) : std::string();
  };
  EXPECT_THAT(adjust(R"({"pattern":"disk-full","direction":"promote","by":"alice"})"),
              HasSubstr("say why"));
  EXPECT_THAT(adjust(R"({"pattern":"disk-ful","direction":"promote","by":"alice","reason":"x"})"),
              HasSubstr("no pattern 'disk-ful'"));
  const std::string promoted = adjust(
      R"({"pattern":"disk-full","direction":"promote","by":"alice","reason":"cleanup is safe"})");
  tend::KbEntry entry;
  ASSERT_TRUE(decode(promoted, Encoding::kJson, entry)) << promoted;
  EXPECT_EQ(entry.tier(), "run");
  EXPECT_EQ(entry.override_by(), "alice");
  auto audited = store_.entries().back();
  EXPECT_EQ(audited.action, "kb-promote");
  EXPECT_EQ(audited.actor, "alice");
  EXPECT_EQ(audited.reason, "cleanup is safe");
  EXPECT_THAT(audited.detail, HasSubstr(R"("from":"approval")"));

  fire(disk_full_on("web-02"));
  EXPECT_EQ(runner_.wait_for(1, 5s).size(), 1u) << "promoted: it runs on its own now";

  auto list = nats_->request_raw(subjects_.kb(), "", 5s);
  ASSERT_TRUE(list);
  tend::KbList kb;
  ASSERT_TRUE(list->decode(kb));
  ASSERT_EQ(kb.entries_size(), 1);
  EXPECT_EQ(kb.entries(0).occurrences(), 2u);
  EXPECT_EQ(kb.entries(0).override(), "run");
}

}  // namespace
}  // namespace tend::alerts
