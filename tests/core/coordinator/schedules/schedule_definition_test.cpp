#include "core/coordinator/schedules/schedule_definition.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

namespace tend {
namespace {

using ::testing::HasSubstr;

Expected<std::vector<tend::Schedule>> read(const std::string& text) {
  return read_schedules(toml::parse(text), "schedules.toml");
}

constexpr const char* kSecurityUpdates = R"(
[[schedule]]
name = "security-updates"
description = "security updates on every server, Sunday nights"
cron = "0 2 * * sun"
timezone = "Europe/Berlin"
window = "4h"
plugin = "package-update"
params = { security_only = true, exclude = ["postgresql-15"] }
target = { all = true }
limit = "50%"
timeout = "30m"

[schedule.rollout]
canary = 1
batch = "10%"
pause = "2m"
max_per_role = 5
max_failure_percent = 5
)";

TEST(ScheduleDefinition, TheSecurityUpdatesExampleReadsWhole) {
  auto schedules = read(kSecurityUpdates);
  ASSERT_TRUE(schedules) << schedules.error().message;
  ASSERT_EQ(schedules->size(), 1u);
  const auto& s = schedules->front();
  EXPECT_EQ(s.name(), "security-updates");
  EXPECT_EQ(s.window_s(), 4u * 3600);
  EXPECT_EQ(s.timeout_s(), 1800u);
  EXPECT_TRUE(s.target().all());
  EXPECT_TRUE(s.params().fields().at("security_only").bool_value());
  EXPECT_EQ(s.params().fields().at("exclude").list_value().values(0).string_value(),
            "postgresql-15");
  EXPECT_EQ(s.rollout().batch(), "10%");
  EXPECT_EQ(s.rollout().pause_s(), 120u);
  EXPECT_DOUBLE_EQ(s.rollout().max_failure_percent(), 5);
  EXPECT_FALSE(s.rollout().has_max_failures());
  EXPECT_EQ(s.source(), "file");
  EXPECT_TRUE(effective_rollout(s).health_gate()) << "the gate is on unless turned off";
}

TEST(ScheduleDefinition, InvalidCronZoneOrTargetIsRefusedNamingTheField) {
  auto with = [](std::string from, std::string to) {
    std::string text = kSecurityUpdates;
    text.replace(text.find(from), from.size(), to);
    auto parsed = read(text);
    return parsed ? std::string("(accepted)") : parsed.error().message;
  };
  EXPECT_THAT(with("0 2 * * sun", "0 2 * * sunday"),
              HasSubstr("schedule 'security-updates': cron: cron field 'day of week'"));
  EXPECT_THAT(with("Europe/Berlin", "Europe/Berln"),
              HasSubstr("schedule 'security-updates': timezone: unknown time zone 'Europe/Berln'"));
  EXPECT_THAT(with("target = { all = true }", "target = {}"),
              HasSubstr("schedule 'security-updates': target:"));
  EXPECT_THAT(with("target = { all = true }", "target = { roles = [\"web server\"] }"),
              HasSubstr("target:"));
  EXPECT_THAT(with("batch = \"10%\"", "batch = \"ten\""), HasSubstr("rollout.batch:"));
  EXPECT_THAT(with("limit = \"50%\"", "limit = \"150%\""), HasSubstr("limit:"));
  EXPECT_THAT(with("window = \"4h\"", "windw = \"4h\""),
              HasSubstr("unknown key 'windw' in [[schedule]] 'security-updates' (known: name,"));
  EXPECT_THAT(with("canary = 1", "canry = 1"),
              HasSubstr("unknown key 'canry' in [[schedule]] 'security-updates' rollout (known: "
                        "canary,"));
  EXPECT_THAT(with("window = \"4h\"", "window = \"4 hours\""), HasSubstr("window:"));
  EXPECT_THAT(with("window = \"4h\"", ""), HasSubstr("window: required"));
  EXPECT_THAT(with("plugin = \"package-update\"", ""), HasSubstr("plugin: required"));
}

TEST(ScheduleDefinition, ErrorsSayTheFileAndLine) {
  auto parsed =
      read(std::string(kSecurityUpdates) + "\n[[schedule]]\nname = \"x\"\ncron = \"0 0 * * *\"\n");
  ASSERT_FALSE(parsed);
  EXPECT_THAT(parsed.error().message, HasSubstr("schedules.toml:"));
  EXPECT_THAT(parsed.error().message, HasSubstr("schedule 'x': timezone: required"));
  auto twice = read(std::string(kSecurityUpdates) + kSecurityUpdates);
  ASSERT_FALSE(twice);
  EXPECT_THAT(twice.error().message, HasSubstr("'security-updates' is defined twice"));
}

// Just within each bound a schedule is taken; just past it, refused naming
// the schedule, the field and the limit, from a file or from tendctl.
TEST(ScheduleDefinition, TextsAndNumbersHaveBounds) {
  auto good = read(kSecurityUpdates);
  ASSERT_TRUE(good) << good.error().message;
  auto verdict = [&](const std::function<void(tend::Schedule&)>& change) {
    tend::Schedule s = good->front();
    change(s);
    auto ok = validate_schedule(s);
    return ok ? std::string("(taken)") : ok.error().message;
  };
  EXPECT_EQ(verdict([](auto& s) { s.set_description(std::string(kMaxDescriptionBytes, 'd')); }),
            "(taken)");
  EXPECT_EQ(verdict([](auto& s) { s.set_description(std::string(kMaxDescriptionBytes + 1, 'd')); }),
            "schedule 'security-updates': description: description is 1025 bytes; the limit is "
            "1024");
  EXPECT_EQ(verdict([](auto& s) { s.set_cron(std::string(kMaxCronBytes + 1, '*')); }),
            "schedule 'security-updates': cron: cron is 257 bytes; the limit is 256");
  EXPECT_EQ(verdict([](auto& s) { s.set_timezone(std::string(kMaxTimezoneBytes + 1, 'z')); }),
            "schedule 'security-updates': timezone: timezone is 65 bytes; the limit is 64");
  EXPECT_EQ(verdict([](auto& s) { s.set_timeout_s(86400); }), "(taken)");
  EXPECT_EQ(verdict([](auto& s) { s.set_timeout_s(86401); }),
            "schedule 'security-updates': timeout: timeout 86401 is out of range: use 0 to 86400");
  EXPECT_EQ(verdict([](auto& s) { s.mutable_rollout()->set_canary(1'000'001); }),
            "schedule 'security-updates': rollout.canary: rollout.canary 1000001 is out of range: "
            "use 0 to 1000000");
  EXPECT_EQ(verdict([](auto& s) { s.set_name(std::string(200, 'n')); }),
            "schedule: name: schedule name is 200 bytes; the limit is 128");
}

TEST(ScheduleDefinition, ADurationBeyond32BitsIsRefusedNotWrapped) {
  auto wrapped = read(R"(
[[schedule]]
name = "x"
cron = "0 2 * * sun"
timezone = "UTC"
window = "7102w"
plugin = "noop"
target = { all = true }
)");
  ASSERT_FALSE(wrapped);
  EXPECT_EQ(wrapped.error().message,
            "schedules.toml:6: [[schedule]] 'x' window 4295289600 is out of range: use 0 to "
            "4294967295 s");
}

TEST(ScheduleDefinition, WithoutABudgetNoFailureIsTolerated) {
  tend::Schedule s;
  EXPECT_EQ(effective_rollout(s).max_failures(), 0u);
  s.mutable_rollout()->set_max_failure_percent(10);
  EXPECT_FALSE(effective_rollout(s).has_max_failures());
}

}  // namespace
}  // namespace tend

namespace tend {
namespace {

TEST(ScheduleDefinition, TheShippedExampleFileReads) {
  auto schedules = load_schedules_file(std::string(TEND_SOURCE_DIR) + "/etc/schedules.toml");
  ASSERT_TRUE(schedules) << schedules.error().message;
  ASSERT_EQ(schedules->size(), 2u);
  EXPECT_EQ(schedules->front().name(), "security-updates");
  EXPECT_DOUBLE_EQ(schedules->front().rollout().max_failure_percent(), 5);
}

}  // namespace
}  // namespace tend
