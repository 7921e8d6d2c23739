#include "core/tendctl/task_builder.h"

#include <gtest/gtest.h>

namespace tend::tendctl {
namespace {

RunArguments args_for(std::vector<std::string> params) {
  RunArguments args;
  args.roles = {"web-server"};
  args.tags = {"production"};
  args.plugin = "noop";
  args.params = std::move(params);
  return args;
}

TEST(TaskBuilder, TargetsAndPluginComeFromTheFlags) {
  RunArguments args = args_for({});
  args.hosts = {"web-01", "web-02"};
  args.dry_run = true;
  args.timeout = "5m";
  args.requested_by = "alice";
  auto task = build_task(args);
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_EQ(task->target().hosts_size(), 2);
  EXPECT_EQ(task->target().roles(0), "web-server");
  EXPECT_EQ(task->target().tags(0), "production");
  EXPECT_TRUE(task->dry_run());
  EXPECT_EQ(task->timeout_s(), 300u);
  EXPECT_EQ(task->requested_by(), "alice");
}

TEST(TaskBuilder, ParamValuesAreTypedWhenTheyReadAsJson) {
  auto task = build_task(args_for({"sleep_ms=200", "force=true", "paths=[/var/log, /tmp]",
                                   "fail=disk busy", "empty="}));
  ASSERT_TRUE(task) << task.error().message;
  const auto& f = task->params().fields();
  EXPECT_EQ(f.at("sleep_ms").number_value(), 200);
  EXPECT_TRUE(f.at("force").bool_value());
  ASSERT_EQ(f.at("paths").list_value().values_size(), 2);
  EXPECT_EQ(f.at("paths").list_value().values(1).string_value(), "/tmp");
  EXPECT_EQ(f.at("fail").string_value(), "disk busy");
  EXPECT_EQ(f.at("empty").string_value(), "");
}

TEST(TaskBuilder, MistakesAreUsageErrorsThatSayWhatIsWrong) {
  EXPECT_EQ(build_task(args_for({"sleep_ms"})).error().message,
            "parameter 'sleep_ms' is not key=value");
  RunArguments no_target;
  no_target.plugin = "noop";
  EXPECT_NE(build_task(no_target).error().message.find("target is empty"), std::string::npos);
  RunArguments bad_host = args_for({});
  bad_host.hosts = {"web.01"};
  EXPECT_NE(build_task(bad_host).error().message.find("target host 'web.01'"), std::string::npos);
  RunArguments bad_timeout = args_for({});
  bad_timeout.timeout = "soon";
  EXPECT_NE(build_task(bad_timeout).error().message.find("--timeout"), std::string::npos);
}

}  // namespace
}  // namespace tend::tendctl
