// The alert pipeline from alert to incident, as a specification: what
// becomes an incident, what runs, what is escalated, and how it ends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bus/codec.h"
#include "core/coordinator/alerts/alert_requests.h"
#include "tests/core/coordinator/alerts/pipeline_fixture.h"
#include "tests/plugins/support/loopback_http_server.h"
#include "tests/support/eventually.h"
#include "tests/support/message_inbox.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kRoutes = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "noop"
params = { path = "{{ labels.mountpoint }}" }
prior_confidence = 0.95

[[route]]
name = "service-down"
alert = "ServiceDown"
plugin = "noop"
prior_confidence = 0.95
verify_within = "10m"
)";

const Labels kDiskFull{
    {"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"mountpoint", "/var"}};
const Labels kServiceDown{{"alertname", "ServiceDown"}, {"instance", "web-02:9100"}};

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

constexpr const char* kUnprovenRoute = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "noop"
prior_confidence = 0.6
)";

Labels disk_full_on(const std::string& host) {
  return {{"alertname", "DiskFull"}, {"instance", host + ":9100"}, {"mountpoint", "/var"}};
}

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

class Escalations {
 public:
  explicit Escalations(Connection& nats, const Subjects& subjects) {
    auto sub = nats.subscribe(subjects.escalation(), inbox_.handler());
    EXPECT_TRUE(sub);
    if (sub) sub_ = std::move(*sub);
    EXPECT_TRUE(nats.flush(std::chrono::seconds(2)));
  }
  // The next one, decoded.
  tend::Escalation next() {
    auto msg = inbox_.next(std::chrono::seconds(5));
    EXPECT_TRUE(msg) << "no escalation published";
    tend::Escalation e;
    if (msg) {
      EXPECT_EQ(msg->encoding(), Encoding::kJson) << "readable with nats sub";
      EXPECT_TRUE(msg->decode(e)) << msg->data();
    }
    return e;
  }

 private:
  testing::MessageInbox inbox_;
  std::unique_ptr<Subscription> sub_;
};

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

// --- breakers, blast radius, emergency stop ----------------------------------------

Labels disk_full_at(const std::string& mountpoint, const std::string& host = "web-01") {
  return {{"alertname", "DiskFull"}, {"instance", host + ":9100"}, {"mountpoint", mountpoint}};
}

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
