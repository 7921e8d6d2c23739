#include "core/coordinator/metrics/coordinator_metrics.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/metrics_text.h"
#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using testing::metric_value;
using ::testing::Optional;

constexpr double kStartedAt = 1700000000;

tend::Summary summary(uint32_t expected, uint32_t succeeded, uint32_t failed, uint32_t missing) {
  tend::Summary s;
  s.set_task_id("t-1");
  s.set_plugin("noop");
  s.set_expected(expected);
  s.set_responded(succeeded + failed);
  s.set_succeeded(succeeded);
  s.set_failed(failed);
  for (uint32_t i = 0; i < missing; ++i) s.add_missing(fmt::format("web-{:02}", i));
  s.set_complete(missing == 0);
  return s;
}

std::optional<double> tasks(const CoordinatorMetrics& m, std::string_view origin,
                            std::string_view outcome) {
  return metric_value(
      m.render(),
      fmt::format(R"(tend_coordinator_tasks_total{{origin="{}",outcome="{}"}})", origin, outcome));
}

TEST(TaskOutcome, ComesFromTheSummaryFailuresFirst) {
  EXPECT_EQ(task_outcome(summary(3, 3, 0, 0)), "succeeded");
  EXPECT_EQ(task_outcome(summary(3, 2, 1, 0)), "failed");
  EXPECT_EQ(task_outcome(summary(3, 1, 1, 1)), "failed");  // a failure says more than silence
  EXPECT_EQ(task_outcome(summary(3, 2, 0, 1)), "incomplete");
  EXPECT_EQ(task_outcome(summary(0, 0, 0, 0)), "no_hosts");
  auto cut_short = summary(2, 2, 0, 0);
  cut_short.set_complete(false);  // the coordinator stopped before it could be sure
  EXPECT_EQ(task_outcome(cut_short), "incomplete");
}

TEST(CoordinatorMetrics, EveryOriginAndOutcomeStartsAtZero) {
  CoordinatorMetrics m("1.2.3", kStartedAt);
  for (auto origin : {"submit", "direct", "alert", "schedule"}) {
    for (auto outcome : {"succeeded", "failed", "incomplete", "no_hosts"}) {
      EXPECT_THAT(tasks(m, origin, outcome), Optional(0.0)) << origin << " " << outcome;
    }
  }
  std::string text = m.render();
  EXPECT_THAT(metric_value(text, R"(tend_coordinator_info{version="1.2.3"})"), Optional(1.0));
  EXPECT_THAT(metric_value(text, "tend_coordinator_up"), Optional(1.0));
  EXPECT_THAT(metric_value(text, "tend_coordinator_start_time_seconds"), Optional(kStartedAt));
}

TEST(CoordinatorMetrics, CountsFinishedTasksByOriginAndOutcome) {
  CoordinatorMetrics m("1.2.3", kStartedAt);
  m.task_finished(TaskOrigin::kSubmit, summary(3, 3, 0, 0));
  m.task_finished(TaskOrigin::kSubmit, summary(3, 3, 0, 0));
  m.task_finished(TaskOrigin::kSubmit, summary(3, 2, 1, 0));
  m.task_finished(TaskOrigin::kDirect, summary(2, 1, 0, 1));
  m.task_finished(TaskOrigin::kAlert, summary(0, 0, 0, 0));

  EXPECT_THAT(tasks(m, "submit", "succeeded"), Optional(2.0));
  EXPECT_THAT(tasks(m, "submit", "failed"), Optional(1.0));
  EXPECT_THAT(tasks(m, "direct", "incomplete"), Optional(1.0));
  EXPECT_THAT(tasks(m, "alert", "no_hosts"), Optional(1.0));
  EXPECT_THAT(tasks(m, "schedule", "succeeded"), Optional(0.0));
}

TEST(CoordinatorMetrics, ShowsTasksInFlightAndNodesByState) {
  CoordinatorMetrics m("1.2.3", kStartedAt);
  m.set_tasks_in_flight(4);
  m.set_nodes(9, 1);
  std::string text = m.render();
  EXPECT_THAT(metric_value(text, "tend_coordinator_tasks_in_flight"), Optional(4.0));
  EXPECT_THAT(metric_value(text, R"(tend_coordinator_nodes{state="online"})"), Optional(9.0));
  EXPECT_THAT(metric_value(text, R"(tend_coordinator_nodes{state="offline"})"), Optional(1.0));
}

TEST(CoordinatorMetrics, TheStoreAndApprovalsFiguresAreZeroUntilReported) {
  CoordinatorMetrics m("1.2.3", kStartedAt);
  std::string before = m.render();
  EXPECT_THAT(metric_value(before, "tend_coordinator_results_stored_total"), Optional(0.0));
  EXPECT_THAT(metric_value(before, "tend_coordinator_store_lag_seconds"), Optional(0.0));
  EXPECT_THAT(metric_value(before, "tend_coordinator_pending_approvals"), Optional(0.0));

  m.results_stored(10);
  m.results_stored(5);  // adds up: a counter
  m.store_lag(2.5);
  m.pending_approvals(3);
  std::string after = m.render();
  EXPECT_THAT(metric_value(after, "tend_coordinator_results_stored_total"), Optional(15.0));
  EXPECT_THAT(metric_value(after, "tend_coordinator_store_lag_seconds"), Optional(2.5));
  EXPECT_THAT(metric_value(after, "tend_coordinator_pending_approvals"), Optional(3.0));
}

TEST(CoordinatorMetrics, AStoppedCoordinatorSaysSo) {
  CoordinatorMetrics m("1.2.3", kStartedAt);
  m.set_up(false);
  EXPECT_THAT(metric_value(m.render(), "tend_coordinator_up"), Optional(0.0));
}

TEST(CoordinatorMetrics, TheFilePassesPromtoolCheckMetrics) {
  if (testing::promtool_path().empty()) {
    GTEST_SKIP()
        << "promtool is not installed (Debian package prometheus; scripts/setup installs it)";
  }
  CoordinatorMetrics m("1.2.3", kStartedAt);
  m.task_finished(TaskOrigin::kSubmit, summary(3, 2, 1, 0));
  m.set_tasks_in_flight(1);
  m.set_nodes(3, 1);
  m.results_stored(3);
  m.store_lag(0.25);
  m.pending_approvals(1);

  testing::TempDir dir;
  auto file = dir.write("tend_coordinator.prom", m.render());
  auto check = testing::promtool_check_metrics(file, dir.path());
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->exit_code, 0) << check->out << check->err;
  EXPECT_EQ(check->out + check->err, "");
}

}  // namespace
}  // namespace tend
