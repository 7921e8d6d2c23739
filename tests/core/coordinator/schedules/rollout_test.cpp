// A rollout driven by a hand-set clock and summaries the test writes: what
// it dispatches, when, and where it stops.
#include "core/coordinator/schedules/rollout.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "core/coordinator/schedules/maintenance_report.h"
#include "tests/support/utc_time.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::utc;

struct Fixture {
  ManualWallClock clock{utc("2026-11-22 01:00")};
  std::vector<tend::Task> sent;
  std::unique_ptr<Rollout> rollout;

  Fixture(int hosts, std::function<void(tend::Schedule&)> configure) {
    RunSpec spec;
    spec.run_id = "security-updates-20261122T010000Z";
    spec.schedule.set_name("security-updates");
    spec.schedule.set_plugin("package-update");
    spec.schedule.set_timezone("Europe/Berlin");
    spec.window_start = clock.now();
    spec.window_end = clock.now() + 4h;
    for (int i = 1; i <= hosts; ++i) spec.hosts.push_back(fmt::format("web-{:02}", i));
    configure(spec.schedule);
    rollout = std::make_unique<Rollout>(std::move(spec), clock,
                                        [this](tend::Task task) { sent.push_back(task); });
  }

  // The last dispatched batch answers; `failing` hosts fail with `why`.
  void answer(const std::set<std::string>& failing = {}, const std::string& why = "dpkg lock held",
              tend::Status status = tend::FAILED) {
    const auto& task = sent.back();
    tend::Summary summary;
    summary.set_task_id(task.id());
    for (const auto& host : task.target().hosts()) {
      auto* r = summary.add_results();
      r->set_host(host);
      r->set_status(failing.contains(host) ? status : tend::SUCCEEDED);
      if (failing.contains(host)) r->set_error(why);
      r->set_verified(!failing.contains(host));
    }
    rollout->batch_finished(summary);
  }
};

TEST(Rollout, ACanaryThenBatchesEachWaitingForTheOneBeforeAndThePause) {
  Fixture f(10, [](tend::Schedule& s) {
    s.mutable_rollout()->set_canary(1);
    s.mutable_rollout()->set_batch("50%");
    s.mutable_rollout()->set_pause_s(60);
  });
  f.rollout->start();
  ASSERT_EQ(f.sent.size(), 1u);
  EXPECT_THAT(f.sent[0].target().hosts(), ElementsAre("web-01"));
  EXPECT_EQ(f.rollout->progress(1, 0).responded(), 1u) << "the running batch's tally counts";
  EXPECT_EQ(f.rollout->progress().text(), "running: batch 1/3; 0/10 hosts done (0 ok, 0 failed)");
  EXPECT_EQ(f.sent[0].id(), "security-updates-20261122T010000Z-b1");
  EXPECT_THAT(f.sent[0].reason(), HasSubstr("batch 1/3 (canary)"));
  EXPECT_EQ(f.sent[0].requested_by(), "schedule:security-updates");
  f.answer();
  EXPECT_EQ(f.sent.size(), 1u) << "the pause comes first";
  EXPECT_EQ(*f.rollout->next_wake(), f.clock.now() + 60s);
  EXPECT_EQ(f.rollout->progress().state(), "pausing");
  f.clock.advance(60s);
  f.rollout->tick();
  ASSERT_EQ(f.sent.size(), 2u);
  EXPECT_EQ(f.sent[1].target().hosts_size(), 5);
  f.answer();
  f.clock.advance(60s);
  f.rollout->tick();
  ASSERT_EQ(f.sent.size(), 3u);
  EXPECT_EQ(f.sent[2].target().hosts_size(), 4);
  f.answer();
  EXPECT_TRUE(f.rollout->finished());
  EXPECT_EQ(f.rollout->outcome().state, "succeeded");
  EXPECT_TRUE(f.rollout->progress().finished());
}

TEST(Rollout, ASpentBudgetStopsLaterBatchesAndEscalates) {
  Fixture f(20, [](tend::Schedule& s) {
    s.mutable_rollout()->set_batch("5");
    s.mutable_rollout()->set_max_failure_percent(5);  // 1 host of 20
  });
  f.rollout->start();
  f.answer({"web-02"});  // 1 failed: within the budget
  ASSERT_EQ(f.sent.size(), 2u);
  f.answer({"web-07"});  // 2 failed: spent
  EXPECT_EQ(f.sent.size(), 2u) << "no batch starts once the budget is spent";
  ASSERT_TRUE(f.rollout->finished());
  const auto& outcome = f.rollout->outcome();
  EXPECT_EQ(outcome.state, "escalated");
  EXPECT_THAT(outcome.why, HasSubstr("failure budget spent: more than 1 of 20"));
  EXPECT_EQ(outcome.skipped.size(), 10u);
  auto report = make_report(f.rollout->spec(), outcome, *TimeZone::named("Europe/Berlin"));
  EXPECT_EQ(report.text(),
            "8/20 succeeded; 2 need attention: web-02 FAILED dpkg lock held, web-07 FAILED dpkg "
            "lock held; 10 skipped: failure budget spent: more than 1 of 20 host(s) failed "
            "(budget 5%)");
  ASSERT_EQ(report.attention_size(), 1) << "one cause, one group";
  EXPECT_THAT(report.attention(0).hosts(), ElementsAre("web-02", "web-07"));
}

TEST(Rollout, AFailedCanaryStopsTheRunWhateverTheBudget) {
  Fixture f(10, [](tend::Schedule& s) {
    s.mutable_rollout()->set_canary(2);
    s.mutable_rollout()->set_max_failures(5);
  });
  f.rollout->start();
  f.answer({"web-01"});
  EXPECT_EQ(f.sent.size(), 1u);
  EXPECT_EQ(f.rollout->outcome().state, "escalated");
  EXPECT_THAT(f.rollout->outcome().why, HasSubstr("canary batch failed on 1 of 2"));
}

TEST(Rollout, TheEmergencyStopLetsTheRunningBatchFinishAndStartsNoOther) {
  Fixture f(10, [](tend::Schedule& s) { s.mutable_rollout()->set_batch("5"); });
  f.rollout->start();
  ASSERT_EQ(f.sent.size(), 1u);
  f.rollout->halt("fixes are stopped (emergency stop by alice)");
  EXPECT_FALSE(f.rollout->finished()) << "the batch on the nodes still answers";
  f.answer();
  EXPECT_EQ(f.sent.size(), 1u);
  ASSERT_TRUE(f.rollout->finished());
  EXPECT_EQ(f.rollout->outcome().state, "interrupted");
  EXPECT_THAT(f.rollout->outcome().why, HasSubstr("emergency stop by alice"));
  EXPECT_EQ(f.rollout->outcome().skipped.size(), 5u);
}

TEST(Rollout, NoBatchStartsAfterTheWindowCloses) {
  Fixture f(6, [](tend::Schedule& s) {
    s.mutable_rollout()->set_batch("2");
    s.mutable_rollout()->set_pause_s(3 * 3600);
  });
  f.rollout->start();
  f.answer();
  f.clock.advance(3h);
  f.rollout->tick();
  f.answer();
  f.clock.advance(3h);  // past the 4 h window
  f.rollout->tick();
  EXPECT_EQ(f.sent.size(), 2u);
  EXPECT_EQ(f.rollout->outcome().state, "window-closed");
  EXPECT_THAT(f.rollout->outcome().skipped, ElementsAre("web-05", "web-06"));
}

TEST(Rollout, WithoutTheHealthGateBatchesStartAPauseApart) {
  Fixture f(6, [](tend::Schedule& s) {
    s.mutable_rollout()->set_batch("2");
    s.mutable_rollout()->set_pause_s(10);
    s.mutable_rollout()->set_health_gate(false);
    s.mutable_rollout()->set_max_failures(10);
  });
  f.rollout->start();
  f.clock.advance(10s);
  f.rollout->tick();
  EXPECT_EQ(f.sent.size(), 2u) << "not waiting for the first batch's answer";
}

TEST(Rollout, SilentHostsNeedAttentionToo) {
  Fixture f(3, [](tend::Schedule& s) { s.mutable_rollout()->set_max_failures(5); });
  f.rollout->start();
  tend::Summary summary;
  summary.set_task_id(f.sent[0].id());
  auto* r = summary.add_results();
  r->set_host("web-01");
  r->set_status(tend::SUCCEEDED);
  auto* t = summary.add_results();
  t->set_host("web-02");
  t->set_status(tend::TIMED_OUT);
  t->set_error("timed out after 300 s");
  summary.add_missing("web-03");
  summary.add_unreachable("web-03");
  f.rollout->batch_finished(summary);
  auto report = make_report(f.rollout->spec(), f.rollout->outcome(), TimeZone::utc());
  EXPECT_EQ(report.text(), "1/3 succeeded; 2 need attention: web-02 TIMED_OUT, web-03 UNREACHABLE");
  EXPECT_EQ(report.state(), "failed");
  EXPECT_THAT(report.markdown(), HasSubstr("## Needs attention (2)"));
}

TEST(Rollout, NoHostsEndsAtOnce) {
  Fixture f(0, [](tend::Schedule&) {});
  f.rollout->start();
  EXPECT_TRUE(f.rollout->finished());
  EXPECT_EQ(f.rollout->outcome().state, "no-hosts");
  EXPECT_TRUE(f.sent.empty());
}

TEST(MaintenanceReport, AMissedWindowSaysWhenAndWhy) {
  tend::Schedule s;
  s.set_name("security-updates");
  auto berlin = *TimeZone::named("Europe/Berlin");
  auto report = make_missed_report("security-updates-20261122T010000Z", s, utc("2026-11-22 01:00"),
                                   utc("2026-11-22 05:00"), berlin);
  EXPECT_EQ(report.text(),
            "window 2026-11-22 02:00 CET missed: no coordinator was running while the window was "
            "open");
}

}  // namespace
}  // namespace tend
