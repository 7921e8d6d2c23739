#include "core/tendctl/schedule_command.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/tendctl/limit_choice.h"

namespace tend::tendctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ScheduleArguments security_updates() {
  ScheduleArguments args;
  args.name = "security-updates";
  args.cron = "0 2 * * sun";
  args.timezone = "Europe/Berlin";
  args.window = "4h";
  args.task.all = true;
  args.task.plugin = "package-update";
  args.task.params = {"security_only=true"};
  args.canary = 1;
  args.batch = "10%";
  args.pause = "2m";
  args.max_failure_percent = 5;
  return args;
}

TEST(ScheduleCommand, FlagsBecomeTheScheduleSent) {
  auto schedule = build_schedule(security_updates());
  ASSERT_TRUE(schedule) << schedule.error().message;
  EXPECT_EQ(schedule->window_s(), 4u * 3600);
  EXPECT_EQ(schedule->rollout().pause_s(), 120u);
  EXPECT_TRUE(schedule->params().fields().at("security_only").bool_value());
  EXPECT_DOUBLE_EQ(schedule->rollout().max_failure_percent(), 5);
  EXPECT_FALSE(schedule->rollout().has_max_failures());
  EXPECT_FALSE(schedule->rollout().has_health_gate()) << "left to the default, on";
}

TEST(ScheduleCommand, MissingFlagsAreNamed) {
  auto args = security_updates();
  args.timezone.clear();
  EXPECT_THAT(build_schedule(args).error().message, HasSubstr("--timezone is required"));
  args = security_updates();
  args.window = "forever";
  EXPECT_THAT(build_schedule(args).error().message, HasSubstr("--window:"));
  args = security_updates();
  args.task.all = false;
  EXPECT_THAT(build_schedule(args).error().message, HasSubstr("no target"));
}

// A duration too long for the request's 32-bit seconds is refused here, not
// sent wrapped around into something that looks valid.
TEST(ScheduleCommand, DurationsTooLongToSendAreRefusedNotWrapped) {
  auto args = security_updates();
  args.window = "7102w";  // 4295289600 s: wrapped, it would read as 3.7 days
  auto refused = build_schedule(args);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "--window 4295289600 is out of range: use 0 to 4294967295 s");
  args = security_updates();
  args.pause = "7102w";
  EXPECT_EQ(build_schedule(args).error().message,
            "--pause 4295289600 is out of range: use 0 to 4294967295 s");
  args.pause = "4294967295s";
  EXPECT_TRUE(build_schedule(args)) << "the largest that fits is sent; the coordinator judges it";
}

tend::NodeList fleet() {
  tend::NodeList nodes;
  for (int i = 1; i <= 10; ++i) {
    auto* node = nodes.add_nodes();
    node->set_online(i != 10);
    node->mutable_last_heartbeat()->set_host("web-" + std::to_string(10 + i));
    node->mutable_last_heartbeat()->set_role(i <= 8 ? "web" : "db");
  }
  return nodes;
}

TEST(LimitChoice, ARandomSubsetOfTheOnlineMatchingNodesThatASeedRepeats) {
  tend::Target web;
  web.add_roles("web");
  auto first = choose_limited(fleet(), web, "50%", std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->matched, 8u);
  EXPECT_EQ(first->hosts.size(), 4u);
  auto again = choose_limited(fleet(), web, "50%", first->seed);
  EXPECT_EQ(again->hosts, first->hosts);
  EXPECT_THAT(describe_choice(*first, "50%"),
              HasSubstr(fmt::format("4 of 8 matching online host(s), seed {}", first->seed)));
  tend::Target db;
  db.add_roles("db");
  EXPECT_THAT(choose_limited(fleet(), db, "5", 7)->hosts, ElementsAre("web-19"))
      << "the offline db node is not chosen";
  EXPECT_FALSE(choose_limited(fleet(), web, "0", 7));
}

}  // namespace
}  // namespace tend::tendctl
