#include "core/tendctl/task_builder.h"

#include <gtest/gtest.h>

namespace tend::tendctl {
namespace {

RunArguments web_servers(std::vector<std::string> params = {}) {
  RunArguments args;
  args.roles = {"web-server"};
  args.plugin = "noop";
  args.params = std::move(params);
  return args;
}

std::string error_of(const RunArguments& args) {
  auto task = build_task(args);
  return task ? "(no error)" : task.error().message;
}

TEST(TaskBuilder, TargetsPluginAndOptionsComeFromTheFlags) {
  RunArguments args = web_servers({"sleep_ms=200"});
  args.hosts = {"web-01", "web-02"};
  args.tags = {"production"};
  args.dry_run = true;
  args.timeout = "5m";
  args.reason = "DiskFull on web-01";
  args.requested_by = "alice";
  auto task = build_task(args);
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_EQ(task->plugin(), "noop");
  EXPECT_EQ(task->target().hosts_size(), 2);
  EXPECT_EQ(task->target().hosts(1), "web-02");
  EXPECT_EQ(task->target().roles(0), "web-server");
  EXPECT_EQ(task->target().tags(0), "production");
  EXPECT_FALSE(task->target().all());
  EXPECT_TRUE(task->dry_run());
  EXPECT_EQ(task->timeout_s(), 300u);
  EXPECT_EQ(task->reason(), "DiskFull on web-01");
  EXPECT_EQ(task->requested_by(), "alice");
  EXPECT_EQ(task->params().fields().at("sleep_ms").number_value(), 200);
  EXPECT_TRUE(task->id().empty()) << "the run command sets the id";
  EXPECT_FALSE(task->has_wait()) << "the coordinator waits by default";
}

TEST(TaskBuilder, AllAloneTargetsEveryNode) {
  RunArguments args;
  args.plugin = "noop";
  args.all = true;
  auto task = build_task(args);
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_TRUE(task->target().all());
}

TEST(TaskBuilder, NoTimeoutLeavesItToTheCoordinator) {
  auto task = build_task(web_servers());
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_EQ(task->timeout_s(), 0u);
}

TEST(TaskBuilder, ANameThatCannotBeInASubjectIsNamedInTheError) {
  RunArguments host = web_servers();
  host.hosts = {"web-01", "web.02"};
  EXPECT_EQ(error_of(host),
            "target host 'web.02' has '.': only letters, digits, '_' and '-' are allowed");
  RunArguments tag = web_servers();
  tag.tags = {"prod*"};
  EXPECT_NE(error_of(tag).find("'prod*'"), std::string::npos) << error_of(tag);
  RunArguments plugin = web_servers();
  plugin.plugin = "disk cleanup";
  EXPECT_EQ(error_of(plugin),
            "plugin name 'disk cleanup' has ' ': only letters, digits, '_' and '-' are allowed");
}

TEST(TaskBuilder, ATargetIsRequiredAndAllStandsAlone) {
  RunArguments none;
  none.plugin = "noop";
  EXPECT_EQ(error_of(none),
            "no target: say which nodes with --host, --role, --tag (each repeatable) or --all");
  RunArguments both = web_servers();
  both.all = true;
  EXPECT_EQ(error_of(both),
            "--all runs on every node: leave out --host, --role and --tag, or --all");
}

TEST(TaskBuilder, ParamMistakesAreRefused) {
  EXPECT_EQ(error_of(web_servers({"sleep_ms"})),
            "parameter 'sleep_ms' has no value: write sleep_ms=VALUE");
  EXPECT_EQ(error_of(web_servers({"=5"})), "parameter '=5' has no name: write NAME=VALUE");
  EXPECT_EQ(error_of(web_servers({"a=1", "a=2"})), "parameter 'a' is given twice: keep one");
}

TEST(TaskTimeout, TakesOperatorDurations) {
  EXPECT_EQ(*parse_task_timeout("90s"), 90u);
  EXPECT_EQ(*parse_task_timeout("5m"), 300u);
  EXPECT_EQ(*parse_task_timeout("2h"), 7200u);
  EXPECT_EQ(*parse_task_timeout("45"), 45u);
}

TEST(TaskTimeout, RefusesWhatIsNoDeadline) {
  EXPECT_EQ(parse_task_timeout("soon").error().message,
            "--timeout: 'soon' is not a duration: use a number of seconds or e.g. 90s, 5m, 2h, "
            "7d, 1w");
  EXPECT_EQ(parse_task_timeout("0s").error().message, "--timeout must be at least 1s");
  EXPECT_EQ(parse_task_timeout("100000w").error().message,
            "--timeout 100000w is longer than a task can wait");
  RunArguments args = web_servers();
  args.timeout = "-5m";
  EXPECT_NE(error_of(args).find("--timeout: '-5m' is not a duration"), std::string::npos);
}

TEST(TaskBuilder, ForceNeedsWhoApprovedIt) {
  RunArguments args = web_servers();
  args.force = true;
  EXPECT_NE(error_of(args).find("--force needs --approved-by NAME"), std::string::npos);
  args.approved_by = "alice";
  auto task = build_task(args);
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_TRUE(task->force());
  EXPECT_EQ(task->approved_by(), "alice");
}

}  // namespace
}  // namespace tend::tendctl
