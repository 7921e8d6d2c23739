// The rules of the exec plugin as plain functions: which names may be
// scripts, which environment a task may set, how the operator's timeout
// reads, when a file is trusted, and how an argv is written out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugins/exec/argv_text.h"
#include "plugins/exec/exec_plan.h"
#include "plugins/exec/exec_policy.h"
#include "plugins/exec/trusted_file.h"

namespace tend::plugins::exec {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

TEST(ExecRules, AScriptNameIsABareFileNameNeverAPath) {
  for (const char* good : {"rotate-logs", "fix_perms.sh", "a", "v1.2", "-dash-first"}) {
    EXPECT_TRUE(is_bare_name(good)) << good;
  }
  for (const char* bad :
       {"", ".", "..", "../x", "/etc/passwd", "a/b", ".hidden", "a b", "x;y", "$(id)", "a\nb"}) {
    EXPECT_FALSE(is_bare_name(bad)) << bad;
  }
}

TEST(ExecRules, TheTimeoutSettingReadsAsSecondsOrWithAUnit) {
  EXPECT_EQ(*parse_timeout_setting("90"), std::chrono::seconds(90));
  EXPECT_EQ(*parse_timeout_setting("90s"), std::chrono::seconds(90));
  EXPECT_EQ(*parse_timeout_setting("5m"), std::chrono::seconds(300));
  EXPECT_EQ(*parse_timeout_setting("2h"), std::chrono::seconds(7200));
  for (const char* bad : {"", "0", "-5", "5d", "m", "five", "99999999999"}) {
    auto parsed = parse_timeout_setting(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_THAT(parsed.error().message, HasSubstr("setting 'timeout'"));
  }
}

TEST(ExecRules, EnvEntriesMustBeWellFormedAndAllowed) {
  ExecPolicy policy{.env_allow = {"RAILS_ENV", "LANG"}};
  EXPECT_TRUE(check_env(policy, {"RAILS_ENV=production", "LANG=C.UTF-8", "LANG="}));
  EXPECT_TRUE(check_env({}, {}));  // nothing asked, nothing to allow

  auto not_allowed = check_env(policy, {"PATH=/tmp"});
  ASSERT_FALSE(not_allowed);
  EXPECT_EQ(not_allowed.error().message,
            "env PATH may not be set on this node: [plugin.exec] env_allow = [\"RAILS_ENV\", "
            "\"LANG\"]");
  for (const char* malformed : {"RAILS_ENV", "=x", "1X=y", "A-B=c", "A B=c"}) {
    auto refused = check_env(policy, {malformed});
    ASSERT_FALSE(refused) << malformed;
    EXPECT_THAT(refused.error().message, HasSubstr("KEY=VALUE")) << malformed;
  }
  auto none_allowed = check_env({}, {"RAILS_ENV=x"});
  ASSERT_FALSE(none_allowed);
  EXPECT_THAT(none_allowed.error().message, HasSubstr("set [plugin.exec] env_allow"));
}

TEST(ExecRules, CommandsMustBeAbsoluteAndAllowListedExactly) {
  ExecPolicy policy{.commands = {"/bin/echo"}};
  EXPECT_EQ(*resolve_program(policy, "/bin/echo", "", "", geteuid()), "/bin/echo");
  // Same program, other spelling: not what the operator wrote.
  auto respelt = resolve_program(policy, "/bin/../bin/echo", "", "", geteuid());
  ASSERT_FALSE(respelt);
  EXPECT_THAT(respelt.error().message, HasSubstr("is not allowed on this node"));

  auto relative = check_policy({.commands = {"echo"}});
  ASSERT_FALSE(relative);
  EXPECT_THAT(relative.error().message, HasSubstr("setting 'commands' must list absolute paths"));
  EXPECT_FALSE(check_policy({.scripts_dir = "scripts"}));
}

TEST(ExecRules, VerifyProgramsFollowTheSameRulesAndNameTheirParams) {
  ExecPolicy policy{.commands = {"/bin/echo"}};
  auto both = resolve_program(policy, "/bin/echo", "x", "verify_", geteuid());
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().message, "give exactly one of verify_command and verify_script");
  auto plan = plan_exec(
      policy, {.command = "/bin/echo", .verify_command = "/bin/echo", .verify_args = {"ok"}},
      geteuid());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->verify_argv, (std::vector<std::string>{"/bin/echo", "ok"}));
  auto stray = plan_exec(policy, {.command = "/bin/echo", .verify_args = {"ok"}}, geteuid());
  ASSERT_FALSE(stray);
  EXPECT_THAT(stray.error().message, HasSubstr("verify_args given without"));
}

TEST(ExecRules, APlanTakesTheTasksTimeoutOrElseThePolicys) {
  ExecPolicy policy{.commands = {"/bin/echo"}, .timeout = std::chrono::seconds(42)};
  EXPECT_EQ(plan_exec(policy, {.command = "/bin/echo"}, geteuid())->timeout,
            std::chrono::seconds(42));
  EXPECT_EQ(plan_exec(policy, {.command = "/bin/echo", .timeout_s = 5}, geteuid())->timeout,
            std::chrono::seconds(5));
  auto bad_exit = plan_exec(policy, {.command = "/bin/echo", .expect_exit = 256}, geteuid());
  ASSERT_FALSE(bad_exit);
  EXPECT_THAT(bad_exit.error().message,
              HasSubstr("expect_exit must be an exit code from 0 to 255"));
}

struct stat with(uid_t uid, mode_t mode) {
  struct stat st {};
  st.st_uid = uid;
  st.st_mode = S_IFREG | mode;
  return st;
}

TEST(ExecRules, AFileIsTrustedWhenOnlyRootOrTheAgentCanChangeIt) {
  EXPECT_EQ(untrusted_reason(with(0, 0755), 1000, "script x"), "");
  EXPECT_EQ(untrusted_reason(with(1000, 0700), 1000, "script x"), "");
  EXPECT_EQ(untrusted_reason(with(1001, 0755), 1000, "script x"),
            "script x is owned by uid 1001: it must be owned by root or by the agent's user (uid "
            "1000)");
  EXPECT_EQ(untrusted_reason(with(0, 0775), 1000, "script x"),
            "script x is writable by group or others: run chmod go-w on it");
  EXPECT_NE(untrusted_reason(with(0, 0757), 1000, "script x"), "");
}

TEST(ExecRules, AScriptMustBeARegularFileInATrustedDirectory) {
  char pattern[] = "/tmp/tend-exec-rules-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  fs::path dir = pattern;
  std::ofstream(dir / "ok") << "#!/bin/sh\n";
  chmod((dir / "ok").c_str(), 0755);
  fs::create_directory(dir / "subdir");
  ExecPolicy policy{.scripts_dir = dir.string()};

  EXPECT_EQ(*resolve_program(policy, "", "ok", "", geteuid()), (dir / "ok").string());
  auto missing = resolve_program(policy, "", "absent", "", geteuid());
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("No such file or directory"));
  auto directory = resolve_program(policy, "", "subdir", "", geteuid());
  ASSERT_FALSE(directory);
  EXPECT_THAT(directory.error().message, HasSubstr("is not a regular file"));
  auto path = resolve_program(policy, "", "../ok", "", geteuid());
  ASSERT_FALSE(path);
  EXPECT_THAT(path.error().message, HasSubstr("script must be a bare file name"));
  fs::remove_all(dir);
}

TEST(ExecRules, AnArgvIsWrittenExactlyForMachinesAndQuotedForPeople) {
  std::vector<std::string> argv = {"/bin/echo", "a b", "it's", "$(id)", "", "plain", "q\"\n\t"};
  EXPECT_EQ(json_list(argv), R"js(["/bin/echo","a b","it's","$(id)","","plain","q\"\n\t"])js");
  EXPECT_EQ(display_command(argv), "/bin/echo 'a b' 'it'\\''s' '$(id)' '' plain 'q\"\n\t'");
  EXPECT_EQ(json_list({}), "[]");
  EXPECT_EQ(json_list({std::string("\x01")}), R"(["\u0001"])");
}

}  // namespace
}  // namespace tend::plugins::exec
