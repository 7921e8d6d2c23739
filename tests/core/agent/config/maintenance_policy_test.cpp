#include "core/agent/config/maintenance_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/utc_time.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::utc;

MaintenancePolicy policy(const std::string& section) {
  auto read = MaintenancePolicy::read(toml::parse(section), "agent.toml");
  EXPECT_TRUE(read) << read.error().message;
  return read ? *read : MaintenancePolicy();
}

tend::Task task(const std::string& plugin) {
  tend::Task t;
  t.set_plugin(plugin);
  return t;
}

constexpr const char* kBerlinSundays = R"(
[maintenance]
timezone = "Europe/Berlin"
windows = ["Sun 01:00-05:00"]
risk = "high"
plugins = ["service-restart"]
blackout = ["2026-12-20..2026-12-27"]
)";

TEST(MaintenancePolicy, ARiskyPluginOutsideTheWindowIsRefusedSayingWhenItMayRun) {
  auto p = policy(kBerlinSundays);
  // Sunday 2026-11-22 03:00 CET = 02:00 UTC: inside.
  EXPECT_EQ(p.check(task("package-update"), "high", utc("2026-11-22 02:00")), "");
  // Monday noon: outside.
  EXPECT_EQ(p.check(task("package-update"), "high", utc("2026-11-23 11:00")),
            "outside maintenance window: package-update runs only Sun 01:00-05:00 Europe/Berlin "
            "on this node");
  // 00:30 UTC on Sunday is 01:30 CET: inside; 04:30 UTC is 05:30: outside.
  EXPECT_EQ(p.check(task("package-update"), "high", utc("2026-11-22 00:30")), "");
  EXPECT_NE(p.check(task("package-update"), "high", utc("2026-11-22 04:30")), "");
}

TEST(MaintenancePolicy, LowRiskPluginsRunAnyTimeUnlessNamed) {
  auto p = policy(kBerlinSundays);
  EXPECT_EQ(p.check(task("diagnostics"), "low", utc("2026-11-23 11:00")), "");
  EXPECT_NE(p.check(task("service-restart"), "medium", utc("2026-11-23 11:00")), "")
      << "named in plugins, whatever its risk";
  EXPECT_EQ(MaintenancePolicy().check(task("package-update"), "high", utc("2026-11-23 11:00")), "")
      << "no [maintenance]: no rule";
}

TEST(MaintenancePolicy, BlackoutDatesWinOverTheWindow) {
  auto p = policy(kBerlinSundays);
  EXPECT_THAT(p.check(task("package-update"), "high", utc("2026-12-20 02:00")),
              HasSubstr("blackout 2026-12-20..2026-12-27 (Europe/Berlin)"));
}

TEST(MaintenancePolicy, OnlyAnApprovedForcedTaskGoesThrough) {
  auto p = policy(kBerlinSundays);
  auto forced = task("package-update");
  forced.set_force(true);
  EXPECT_THAT(p.check(forced, "high", utc("2026-11-23 11:00")),
              HasSubstr("force is heeded only on an approved task"));
  forced.set_approved_by("alice");
  EXPECT_EQ(p.check(forced, "high", utc("2026-11-23 11:00")), "");
}

TEST(MaintenancePolicy, WindowsPastMidnightAndDayRanges) {
  auto w = *WeeklyWindow::parse("Fri-Mon 22:00-02:00");
  using testing::local;
  EXPECT_TRUE(w.contains(local("2026-11-20 23:00")));   // Friday evening
  EXPECT_TRUE(w.contains(local("2026-11-21 01:00")));   // Saturday morning, opened Friday
  EXPECT_TRUE(w.contains(local("2026-11-24 01:59")));   // Tuesday morning, opened Monday
  EXPECT_FALSE(w.contains(local("2026-11-25 01:00")));  // Wednesday morning
  EXPECT_FALSE(w.contains(local("2026-11-20 21:59")));
  EXPECT_TRUE(WeeklyWindow::parse("* 00:00-24:00")->contains(local("2026-11-25 23:59")));
}

TEST(MaintenancePolicy, MistakesNameTheKey) {
  auto read = [](const std::string& text) {
    auto r = MaintenancePolicy::read(toml::parse(text), "agent.toml");
    return r ? std::string("(accepted)") : r.error().message;
  };
  EXPECT_THAT(read("[maintenance]\ntimezone = \"Berlin\"\n"),
              HasSubstr("[maintenance] timezone: unknown time zone"));
  EXPECT_THAT(read("[maintenance]\nwindows = [\"Sunday 1-5\"]\n"),
              HasSubstr("[maintenance] windows:"));
  EXPECT_THAT(read("[maintenance]\nwindows = [\"Sun 01:00-25:00\"]\n"),
              HasSubstr("not a time of day"));
  EXPECT_THAT(read("[maintenance]\nrisk = \"extreme\"\n"), HasSubstr("[maintenance] risk:"));
  EXPECT_THAT(read("[maintenance]\nblackout = [\"2026-02-30\"]\n"), HasSubstr("not a date"));
  EXPECT_THAT(read("[maintenance]\nwindow = []\n"), HasSubstr("unknown key"));
}

}  // namespace
}  // namespace tend
