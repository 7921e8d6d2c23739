// The pure pieces of a rollout: which windows are due, batches, the budget.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coordinator/schedules/failure_budget.h"
#include "core/coordinator/schedules/rollout_plan.h"
#include "core/coordinator/schedules/window_firing.h"
#include "tests/support/utc_time.h"

namespace tend {
namespace {

using ::testing::ElementsAre;
using testing::utc;
using namespace std::chrono_literals;

std::vector<std::string> hosts(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 1; i <= n; ++i) out.push_back(fmt::format("{}-{:02}", prefix, i));
  return out;
}

TEST(WindowFiring, AnOpenWindowIsRunAndAClosedOneIsMissed) {
  auto sunday = *ZonedSchedule::parse("0 2 * * sun", "Europe/Berlin");
  // Down since Saturday; back at 03:00 on Sunday with a 4 h window: run it.
  auto due = windows_due(sunday, 4h, utc("2026-11-21 12:00"), utc("2026-11-22 02:00"));
  ASSERT_EQ(due.windows.size(), 1u);
  EXPECT_TRUE(due.windows[0].open);
  EXPECT_EQ(due.windows[0].start, utc("2026-11-22 01:00"));
  EXPECT_EQ(due.windows[0].end, utc("2026-11-22 05:00"));
  EXPECT_EQ(*due.next, utc("2026-11-29 01:00"));
  // Back at 09:00: the window closed with nobody to run it.
  due = windows_due(sunday, 4h, utc("2026-11-21 12:00"), utc("2026-11-22 08:00"));
  ASSERT_EQ(due.windows.size(), 1u);
  EXPECT_FALSE(due.windows[0].open);
  // Nothing new since the last window considered.
  EXPECT_TRUE(
      windows_due(sunday, 4h, utc("2026-11-22 01:00"), utc("2026-11-22 08:00")).windows.empty());
}

TEST(WindowFiring, ALongOutageListsTheNewestMissedWindowsAndCountsTheRest) {
  auto hourly = *ZonedSchedule::parse("0 * * * *", "UTC");
  auto due = windows_due(hourly, 30min, utc("2026-11-20 00:00"), utc("2026-11-21 00:10"), 5);
  ASSERT_EQ(due.windows.size(), 6u);
  EXPECT_EQ(due.missed_beyond, 23u - 5u);  // 01:00 to 23:00 closed, 5 listed
  EXPECT_EQ(due.windows[4].start, utc("2026-11-20 23:00"));
  EXPECT_TRUE(due.windows[5].open);
}

TEST(RolloutPlan, ACanaryThenBatchesOfAShareOfTheTarget) {
  auto batches = plan_batches(hosts("web", 20), {}, {1, HostCount::parse("25%").value(), 0});
  ASSERT_EQ(batches.size(), 5u);  // 1, then 5, 5, 5, 4
  EXPECT_THAT(batches[0], ElementsAre("web-01"));
  EXPECT_EQ(batches[1].size(), 5u);
  EXPECT_EQ(batches[4].size(), 4u);
}

TEST(RolloutPlan, NoBatchHoldsMoreOfARoleThanTheCap) {
  std::map<std::string, std::string> roles;
  auto all = hosts("db", 4);
  for (auto& h : all) roles[h] = "db";
  for (auto& h : hosts("web", 4)) {
    all.push_back(h);
    roles[h] = "web";
  }
  auto batches = plan_batches(all, roles, {0, HostCount::parse("4").value(), 1});
  ASSERT_EQ(batches.size(), 4u);
  for (const auto& batch : batches) {
    EXPECT_THAT(batch, ::testing::SizeIs(2));
    EXPECT_NE(roles[batch[0]], roles[batch[1]]);
  }
}

TEST(RolloutPlan, WithoutABatchSizeEverythingAfterTheCanaryGoesAtOnce) {
  auto batches = plan_batches(hosts("web", 10), {}, {2, std::nullopt, 0});
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[1].size(), 8u);
  EXPECT_TRUE(plan_batches({}, {}, {1, std::nullopt, 0}).empty());
}

TEST(FailureBudget, SpentOnceMoreHostsFailedThanAllowed) {
  FailureBudget five_percent(50, std::nullopt, 5.0);
  EXPECT_EQ(five_percent.allowed(), 2u);
  EXPECT_FALSE(five_percent.spent(2));
  EXPECT_TRUE(five_percent.spent(3));
  EXPECT_EQ(FailureBudget(20, std::nullopt, 10.0).allowed(), 2u);
  EXPECT_EQ(FailureBudget(50, 1, 5.0).allowed(), 1u) << "the tighter one counts";
  EXPECT_EQ(FailureBudget(50, std::nullopt, std::nullopt).allowed(), 0u);
  EXPECT_EQ(FailureBudget(10, std::nullopt, 5.0).allowed(), 0u) << "5% of 10 is no host";
  EXPECT_EQ(five_percent.describe(), "more than 2 of 50 host(s) failed (budget 5%)");
}

}  // namespace
}  // namespace tend
