// Maintenance windows against the real programs, the real clock, a real
// nats-server and a real PostgreSQL: a window a few seconds out rolls out to
// twenty agents in batches and reports; a spent budget stops later batches
// and escalates; two coordinators fire each window once; a coordinator back
// while a window is open runs it, and one back after records it missed.
// Windows are set to the second with the 6-field cron (seconds first).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/store/pg_connection.h"
#include "schemas/escalation.pb.h"
#include "schemas/progress.pb.h"
#include "schemas/report.pb.h"
#include "schemas/schedule.pb.h"
#include "tests/integration/programs.h"
#include "tests/integration/store_count.h"
#include "tests/support/eventually.h"
#include "tests/support/message_inbox.h"
#include "tests/support/tend_stack.h"
#include "tests/support/test_database.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr auto kToolTimeout = 20s;
// Agents heartbeat every second in a TendStack: 1.5 s is enough to hear them all.
constexpr const char* kFastSchedules = "\n[schedules]\npoll_ms = 100\nsettle_ms = 1500\n";

// A cron expression (seconds first) that fires once, `ahead` from now (UTC).
std::string cron_in(std::chrono::seconds ahead) {
  auto t = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + ahead;
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::hh_mm_ss hms{t - day};
  std::chrono::year_month_day ymd{day};
  return fmt::format("{} {} {} {} {} *", hms.seconds().count(), hms.minutes().count(),
                     hms.hours().count(), static_cast<unsigned>(ymd.day()),
                     static_cast<unsigned>(ymd.month()));
}

// Today and tomorrow (UTC) as a blackout range: the node refuses whatever time it is.
std::string blackout_now() {
  auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  auto text = [](std::chrono::sys_days d) {
    std::chrono::year_month_day ymd{d};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  };
  return fmt::format(
      "\n[maintenance]\ntimezone = \"UTC\"\nrisk = \"low\"\nblackout = [\"{}..{}\"]\n", text(today),
      text(today + std::chrono::days(1)));
}

std::vector<AgentSpec> fleet(int count, const std::string& failing = "") {
  std::vector<AgentSpec> specs;
  for (int i = 1; i <= count; ++i) {
    AgentSpec spec{fmt::format("node-{:02}", i), "web", {}};
    if (spec.host == failing) spec.extra_config = blackout_now();
    specs.push_back(spec);
  }
  return specs;
}

class Schedules : public ::testing::Test {
 protected:
  bool start(std::vector<AgentSpec> agents) {
    auto db = TestDatabase::create();
    if (!db) {
      skipped_ = true;
      return false;
    }
    EXPECT_TRUE(*db) << db->error().message;
    if (!*db) return false;
    db_.emplace(std::move(**db));
    CoordinatorSettings settings;
    settings.database_url = db_->url();
    settings.extra_config = kFastSchedules;
    stack_ = std::make_unique<TendStack>(built_programs(), std::move(agents), settings);
    auto started = stack_->start(60s);
    EXPECT_TRUE(started) << started.error().message;
    if (!started) return false;
    for (const auto& [subject, inbox] : {std::pair{"tend.report.maintenance", &reports_},
                                         std::pair{"tend.escalation", &escalations_}}) {
      auto sub = stack_->client().subscribe(subject, inbox->handler());
      EXPECT_TRUE(sub);
      subs_.push_back(std::move(*sub));
    }
    (void)stack_->client().flush(2s);
    return true;
  }

  void TearDown() override { subs_.clear(); }

  Completed tendctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {built_tendctl().string(), "--server", stack_->nats_url()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto done = run_to_completion(argv, stack_->dir().path(), fmt::format("tendctl-{}", ++runs_),
                                  kToolTimeout);
    EXPECT_TRUE(done) << done.error().message;
    return done ? *done : Completed{};
  }

  // The next report on tend.report.maintenance for `schedule`.
  std::optional<tend::MaintenanceReport> next_report(const std::string& schedule,
                                                     std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto msg = reports_.next(std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now()));
      if (!msg) break;
      auto report = decode_as<tend::MaintenanceReport>(*msg);
      if (report && report->schedule() == schedule) return *report;
    }
    return std::nullopt;
  }

  bool skipped_ = false;
  std::optional<TestDatabase> db_;
  std::unique_ptr<TendStack> stack_;
  MessageInbox reports_, escalations_;
  std::vector<std::unique_ptr<Subscription>> subs_;
  int runs_ = 0;
};

#define START_OR_SKIP(agents)                                                              \
  if (!start(agents)) {                                                                    \
    if (skipped_) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run through scripts/test"; \
    return;                                                                                \
  }

TEST_F(Schedules, AWindowAFewSecondsOutRollsOutInBatchesWithinItsBudgetAndReports) {
  START_OR_SKIP(fleet(20, "node-13"));
  auto added = tendctl({"schedule",
                        "add",
                        "nightly",
                        "--cron",
                        cron_in(4s),
                        "--timezone",
                        "UTC",
                        "--window",
                        "10m",
                        "--role",
                        "web",
                        "--canary",
                        "1",
                        "--batch",
                        "25%",
                        "--max-failure-percent",
                        "10",
                        "--reason",
                        "integration test",
                        "noop",
                        "sleep_ms=50"});
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err << stack_->logs();
  EXPECT_THAT(added.out, HasSubstr("schedule 'nightly' added"));

  auto report = next_report("nightly", 30s);
  ASSERT_TRUE(report) << "no report\n" << stack_->logs();
  EXPECT_EQ(report->state(), "failed") << "one host needs attention, within the budget";
  EXPECT_EQ(report->targeted(), 20u);
  EXPECT_EQ(report->succeeded(), 19u);
  EXPECT_EQ(report->skipped(), 0u);
  EXPECT_EQ(report->batches_run(), 5u) << "a canary of 1, then 5, 5, 5, 4";
  EXPECT_THAT(report->text(),
              HasSubstr("19/20 succeeded; 1 needs attention: node-13 REJECTED blackout"));
  ASSERT_EQ(report->attention_size(), 1);
  EXPECT_EQ(report->attention(0).hosts(0), "node-13");
  EXPECT_FALSE(escalations_.next(200ms)) << "within the budget: nobody is called";

  const std::string run_id = report->run_id();
  EXPECT_EQ(
      store_count(db_->url(), "SELECT count(*) FROM schedule_runs WHERE schedule = 'nightly'"), 1);
  EXPECT_EQ(wait_for_count(db_->url(),
                           fmt::format("SELECT count(*) FROM tasks WHERE origin = 'schedule' "
                                       "AND id LIKE '{}-b%'",
                                       run_id),
                           5),
            5);
  EXPECT_EQ(wait_for_count(db_->url(),
                           "SELECT count(*) FROM audit_log WHERE action = 'schedule-add' AND "
                           "target = 'nightly'",
                           1),
            1);
  EXPECT_EQ(wait_for_count(db_->url(),
                           fmt::format("SELECT count(*) FROM audit_log WHERE action = "
                                       "'maintenance-report' AND task_id = '{}'",
                                       run_id),
                           1),
            1);

  auto shown = tendctl({"report", "--last"});
  EXPECT_EQ(shown.exit_code, 1) << shown.out << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("19/20 succeeded; 1 needs attention: node-13 REJECTED"));
  EXPECT_THAT(shown.out, HasSubstr("## Needs attention (1)"));
  auto watched = tendctl({"watch", run_id});
  EXPECT_THAT(watched.out, HasSubstr("batch 5/5")) << watched.err;
  auto again = tendctl({"run", "--role", "web", "--limit", "25%", "--seed", "7", "--json", "noop"});
  EXPECT_THAT(again.err, HasSubstr("limit 25%: 5 of 20 matching online host(s), seed 7"));
  EXPECT_THAT(again.out, HasSubstr("\"expected\":5"));
  auto bad = tendctl({"schedule", "add", "bad", "--cron", "0 25 * * *", "--timezone", "UTC",
                      "--window", "1h", "--all", "noop"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err,
              HasSubstr("schedule 'bad': cron: cron field 'hour' (the 2nd): 25 is outside"));
  auto listed = tendctl({"schedule", "list"});
  EXPECT_THAT(listed.out, HasSubstr("nightly")) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(run_id));
}

TEST_F(Schedules, ASpentBudgetStopsLaterBatchesAndEscalates) {
  START_OR_SKIP(fleet(10, "node-03"));
  auto added = tendctl({"schedule", "add", "strict", "--cron", cron_in(3s), "--timezone", "UTC",
                        "--window", "10m", "--all", "--batch", "4", "--max-failures", "0", "noop"});
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  auto report = next_report("strict", 30s);
  ASSERT_TRUE(report) << stack_->logs();
  EXPECT_EQ(report->state(), "escalated");
  EXPECT_EQ(report->batches_run(), 1u) << "the first batch spent the budget";
  EXPECT_EQ(report->skipped(), 6u);
  EXPECT_THAT(report->text(), HasSubstr("3/10 succeeded; 1 needs attention: node-03 REJECTED"));
  EXPECT_THAT(report->text(), HasSubstr("6 skipped: failure budget spent"));
  auto escalation = escalations_.next(5s);
  ASSERT_TRUE(escalation);
  EXPECT_EQ(escalation->encoding(), Encoding::kJson);
  auto parsed = decode_as<tend::Escalation>(*escalation);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->kind(), "maintenance");
  EXPECT_EQ(parsed->run_id(), report->run_id());
  EXPECT_THAT(parsed->failed_hosts(), ::testing::ElementsAre("node-03"));
  EXPECT_THAT(parsed->look_at(), HasSubstr("tendctl schedule run-now strict"));
  EXPECT_EQ(
      wait_for_count(db_->url(), "SELECT count(*) FROM audit_log WHERE action = 'escalate'", 1), 1);
}

// What `tendctl pause --all` leaves in the store when the alert loop runs.
void set_emergency_stop(const std::string& url, bool active) {
  auto conn = store::PgConnection::connect(url, 2s);
  ASSERT_TRUE(conn) << conn.error().message;
  ASSERT_TRUE((*conn)->exec(
      "INSERT INTO alert_controls (name, active, by, reason, at) VALUES ('emergency_stop', $1, "
      "'alice', 'db migration', now()) ON CONFLICT (name) DO UPDATE SET active = $1",
      {active ? "true" : "false"}));
}

TEST_F(Schedules, TheEmergencyStopHoldsAWindowBackUntilItIsLifted) {
  START_OR_SKIP(fleet(2));
  set_emergency_stop(db_->url(), true);
  auto added = tendctl({"schedule", "add", "held", "--cron", cron_in(3s), "--timezone", "UTC",
                        "--window", "10m", "--all", "noop"});
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  std::this_thread::sleep_for(6s);
  EXPECT_EQ(store_count(db_->url(), "SELECT count(*) FROM schedule_runs"), 0)
      << "the window opened while fixes were stopped\n"
      << stack_->logs();
  auto refused = tendctl({"schedule", "run-now", "held"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.out + refused.err, HasSubstr("emergency stop by alice: db migration"));

  set_emergency_stop(db_->url(), false);
  auto report = next_report("held", 30s);
  ASSERT_TRUE(report) << "the window, still open, runs once the stop is lifted\n" << stack_->logs();
  EXPECT_THAT(report->text(), HasSubstr("2/2 succeeded"));
}

TEST_F(Schedules, TwoCoordinatorsFireEachWindowOnce) {
  START_OR_SKIP(fleet(3));
  auto second = stack_->start_another_coordinator("second-coordinator");
  ASSERT_TRUE(second) << second.error().message;
  // Both are up once the second one's scheduler has said so.
  eventually([&] { return second->log().find("schedules: ") != std::string::npos; }, 20s, 50ms);
  ASSERT_THAT(second->log(), HasSubstr("schedules: "));
  // A window every two seconds for a while: each one a race for both.
  auto added = tendctl({"schedule", "add", "often", "--cron", "*/2 * * * * *", "--timezone", "UTC",
                        "--window", "2s", "--all", "noop"});
  ASSERT_EQ(added.exit_code, 0) << added.out << added.err;
  // Four windows run (a window a busy machine let close unclaimed is
  // recorded missed, and is no concern of this test).
  std::string texts;
  for (int ran = 0; ran < 4;) {
    auto report = next_report("often", 10s);
    ASSERT_TRUE(report) << texts << stack_->logs() << second->log();
    texts += report->run_id() + ": " + report->text() + "\n";
    if (report->state() != "missed") ++ran;
  }
  auto paused = tendctl({"schedule", "pause", "often"});
  ASSERT_EQ(paused.exit_code, 0) << paused.err;
  std::this_thread::sleep_for(1s);  // a run that began before the pause ends

  const auto runs =
      store_count(db_->url(), "SELECT count(*) FROM schedule_runs WHERE state <> 'missed'");
  EXPECT_GE(runs, 4);
  EXPECT_EQ(store_count(db_->url(), "SELECT count(DISTINCT window_start) FROM schedule_runs"),
            store_count(db_->url(), "SELECT count(*) FROM schedule_runs"));
  EXPECT_EQ(wait_for_count(db_->url(),
                           "SELECT count(*) FROM audit_log WHERE action = 'schedule-run'", runs),
            runs)
      << "each run started by one coordinator";
  EXPECT_EQ(
      wait_for_count(db_->url(), "SELECT count(*) FROM tasks WHERE origin = 'schedule'", runs),
      runs)
      << "one set of tasks per window";
  EXPECT_EQ(wait_for_count(db_->url(),
                           "SELECT count(*) FROM results r JOIN tasks t ON t.id = r.task_id "
                           "WHERE t.origin = 'schedule'",
                           runs * 3),
            runs * 3)
      << texts << stack_->logs() << second->log();
  second->terminate(5s);
}

TEST_F(Schedules, ACoordinatorBackWhileTheWindowIsOpenRunsItAndOneBackAfterRecordsItMissed) {
  START_OR_SKIP(fleet(2));
  const std::string when = cron_in(3s);
  ASSERT_EQ(tendctl({"schedule", "add", "long-window", "--cron", when, "--timezone", "UTC",
                     "--window", "1h", "--all", "noop"})
                .exit_code,
            0);
  ASSERT_EQ(tendctl({"schedule", "add", "short-window", "--cron", when, "--timezone", "UTC",
                     "--window", "1s", "--all", "noop"})
                .exit_code,
            0);
  stack_->coordinator().kill9();
  std::this_thread::sleep_for(
      5s);  // both windows open with nobody to run them; the short one closes
  ASSERT_TRUE(stack_->start_coordinator());

  auto ran = next_report("long-window", 30s);
  ASSERT_TRUE(ran) << stack_->logs();
  EXPECT_EQ(ran->state(), "succeeded");
  EXPECT_EQ(ran->text(), "2/2 succeeded");
  wait_for_count(db_->url(),
                 "SELECT count(*) FROM maintenance_reports WHERE state = 'missed' "
                 "AND schedule = 'short-window'",
                 1, 10s);
  EXPECT_EQ(store_count(db_->url(),
                        "SELECT count(*) FROM schedule_runs WHERE schedule = "
                        "'short-window' AND state = 'missed'"),
            1)
      << stack_->logs();
  auto shown = tendctl({"schedule", "show", "short-window"});
  EXPECT_THAT(shown.out, HasSubstr("missed")) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("no coordinator was running while the window was open"));
}

}  // namespace
}  // namespace tend::testing
