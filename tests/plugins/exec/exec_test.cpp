// exec, through its real .so: it runs only what the operator allowed
// ([plugin.exec] commands and scripts_dir), passes arguments and environment
// literally and never through a shell, reports how the program ended, stops
// it and everything it started at its timeout or on cancellation, and a dry
// run runs nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/plugin_harness.h"
#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::EndsWith;
using testing::eventually;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::PluginHarness;
using ::testing::StartsWith;
using testing::TempDir;
namespace fs = std::filesystem;

// Gone, or a zombie waiting for whoever inherited it to reap it.
bool process_gone(pid_t pid) {
  if (kill(pid, 0) != 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string ignored_pid, comm, state;
  stat >> ignored_pid >> comm >> state;
  return !stat || state == "Z";
}

class ExecPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = PluginHarness::load(TEND_PLUGIN_FILE);
    ASSERT_TRUE(loaded) << loaded.error().message;
    harness_ = std::make_unique<PluginHarness>(std::move(*loaded));
    fs::create_directory(scripts());
    fs::permissions(scripts(), fs::perms(0755));
    allow(R"(commands = ["/bin/echo", "/usr/bin/env"])");
  }

  fs::path scripts() const { return dir_.path() / "scripts"; }
  fs::path marker() const { return dir_.path() / "marker"; }

  // The [plugin.exec] table: these lines plus scripts_dir.
  void allow(const std::string& lines) {
    auto ok = harness_->set_settings(lines + "\nscripts_dir = \"" + scripts().string() + "\"");
    ASSERT_TRUE(ok) << ok.error().message;
  }

  // A /bin/sh script in scripts_dir, mode 0755 unless told otherwise.
  fs::path script(const std::string& name, const std::string& body, unsigned mode = 0755) {
    auto path = scripts() / name;
    std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
    chmod(path.c_str(), mode);
    return path;
  }

  // A script that would leave `marker()` behind if it ever ran.
  void touching_script(const std::string& name) {
    script(name, "touch '" + marker().string() + "'");
  }

  Expected<PluginOutcome> run(const std::string& params, bool dry_run = false) {
    return harness_->run(params, dry_run);
  }

  TempDir dir_{"tend-exec-test"};
  std::unique_ptr<PluginHarness> harness_;
};

TEST_F(ExecPlugin, RunsAnAllowListedCommandWithItsArgumentsAsArgv) {
  auto outcome = run(R"({"command": "/bin/echo", "args": ["hello", "world"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("stdout"), "hello world\n");
  EXPECT_EQ(outcome->outputs.at("exit_code"), "0");
  EXPECT_EQ(outcome->outputs.at("argv"), R"(["/bin/echo","hello","world"])");
  EXPECT_THAT(outcome->summary, StartsWith("ran /bin/echo hello world: exit 0 in "));
  EXPECT_GE(outcome->figures.at("duration_s"), 0.0);
  EXPECT_TRUE(outcome->verified);
  EXPECT_EQ(outcome->outputs.at("verify"), "no verify command given: the exit code was the check");
}

TEST_F(ExecPlugin, ShellMetacharactersArriveLiterallyAsOneArgumentEach) {
  script("show-args", R"(printf '[%s]\n' "$@")");
  std::string m = marker().string();
  auto outcome =
      run(R"j({"script": "show-args", "args": ["two words", "; touch )j" + m + R"j(", "$(touch )j" +
          m + R"j()", "`id`", "*", "a,b", "", "'quoted'", "x > /tmp/y"]})j");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("stdout"), "[two words]\n[; touch " + marker().string() +
                                               "]\n[$(touch " + marker().string() +
                                               ")]\n[`id`]\n[*]\n[a,b]\n[]\n['quoted']\n"
                                               "[x > /tmp/y]\n");
  EXPECT_FALSE(fs::exists(marker())) << "something interpreted an argument as shell";
}

TEST_F(ExecPlugin, SetsTheEnvironmentVariablesEnvAllowPermits) {
  allow(R"(commands = ["/usr/bin/env"]
env_allow = ["GREETING"])");
  auto outcome = run(R"({"command": "/usr/bin/env", "env": ["GREETING=hello; $(id) `id`"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_THAT(outcome->outputs.at("stdout"), HasSubstr("\nGREETING=hello; $(id) `id`\n"));
}

TEST_F(ExecPlugin, RefusesAnEnvironmentVariableEnvAllowDoesNotList) {
  allow(R"(commands = ["/usr/bin/env"]
env_allow = ["GREETING"])");
  touching_script("touch");
  auto outcome = run(R"({"script": "touch", "env": ["LD_PRELOAD=/tmp/evil.so"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("env LD_PRELOAD may not be set on this node"));
  EXPECT_THAT(outcome->error, HasSubstr(R"(env_allow = ["GREETING"])"));
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, WithoutEnvAllowATaskMaySetNoVariableAndIsToldWhichSetting) {
  auto outcome = run(R"({"command": "/usr/bin/env", "env": ["GREETING=hi"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("set [plugin.exec] env_allow = "));
}

TEST_F(ExecPlugin, RefusesACommandNotInTheAllowList) {
  auto outcome = run(R"({"command": "/bin/cat", "args": ["/etc/shadow"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error,
            "diagnose failed: command /bin/cat is not allowed on this node: [plugin.exec] "
            "commands = [\"/bin/echo\", \"/usr/bin/env\"]");
  EXPECT_THAT(outcome->outputs, Not(::testing::Contains(::testing::Key("stdout"))));
}

TEST_F(ExecPlugin, WithoutTheCommandsSettingRefusesNamingIt) {
  ASSERT_TRUE(harness_->set_settings(""));
  auto outcome = run(R"({"command": "/bin/echo"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("no commands are allowed on this node: set "
                                        "[plugin.exec] commands = "));
}

TEST_F(ExecPlugin, WithoutTheScriptsDirSettingRefusesScriptsNamingIt) {
  ASSERT_TRUE(harness_->set_settings(R"(commands = ["/bin/echo"])"));
  auto outcome = run(R"({"script": "anything"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("set [plugin.exec] scripts_dir = "));
}

TEST_F(ExecPlugin, RunsAScriptFromScriptsDir) {
  touching_script("make-marker");
  auto outcome = run(R"({"script": "make-marker"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_TRUE(fs::exists(marker()));
  EXPECT_EQ(outcome->outputs.at("argv"), "[\"" + (scripts() / "make-marker").string() + "\"]");
}

TEST_F(ExecPlugin, AScriptIsNamedNeverGivenAsAPath) {
  // A real, runnable script just outside scripts_dir: "../outside" must not reach it.
  auto outside = dir_.path() / "outside";
  std::ofstream(outside) << "#!/bin/sh\ntouch '" << marker().string() << "'\n";
  chmod(outside.c_str(), 0755);
  for (const char* name : {"../outside", "/etc/passwd", "..", ".", "sub/x", ".hidden"}) {
    auto outcome = run(std::string(R"({"script": ")") + name + "\"}");
    ASSERT_FALSE(outcome) << name << " was accepted: " << outcome->summary << outcome->error;
    EXPECT_THAT(outcome.error().message, HasSubstr("script")) << name;
  }
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, ASymlinkInScriptsDirIsNeverFollowed) {
  auto outside = dir_.path() / "outside";
  std::ofstream(outside) << "#!/bin/sh\ntouch '" << marker().string() << "'\n";
  chmod(outside.c_str(), 0755);
  fs::create_symlink(outside, scripts() / "link");
  auto outcome = run(R"({"script": "link"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("is not a regular file (a symlink is never followed)"));
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, AGroupWritableScriptIsRefused) {
  script("shared", "touch '" + marker().string() + "'", 0775);
  auto outcome = run(R"({"script": "shared"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("shared is writable by group or others"));
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, AScriptsDirOthersMayWriteToIsRefused) {
  touching_script("fine");
  fs::permissions(scripts(), fs::perms(0777));
  auto outcome = run(R"({"script": "fine"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error,
              HasSubstr("scripts_dir " + scripts().string() + " is writable by group or others"));
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, AScriptOwnedByAnotherUserIsRefused) {
  touching_script("theirs");
  if (geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  ASSERT_EQ(chown((scripts() / "theirs").c_str(), 65534, 65534), 0);
  auto outcome = run(R"({"script": "theirs"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("is owned by uid 65534"));
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, ADryRunReportsTheExactArgvAndEnvAndRunsNothing) {
  allow(R"(commands = ["/bin/echo"]
env_allow = ["MODE"])");
  touching_script("make-marker");
  auto outcome = run(R"j({"script": "make-marker", "args": ["a b", "$(x)"], "env": ["MODE=fast"],
                          "timeout": "90s"})j",
                     /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  std::string path = (scripts() / "make-marker").string();
  EXPECT_EQ(outcome->outputs.at("argv"), "[\"" + path + R"j(","a b","$(x)"])j");
  EXPECT_EQ(outcome->outputs.at("env"), R"(["MODE=fast"])");
  EXPECT_EQ(outcome->outputs.at("timeout_s"), "90");
  EXPECT_EQ(outcome->summary,
            "would run " + path + " 'a b' '$(x)' (timeout 90 s, success is exit 0); ran nothing");
  EXPECT_FALSE(fs::exists(marker())) << "a dry run ran the script";
}

TEST_F(ExecPlugin, AnUnexpectedExitCodeFailsWithTheCodeAndTheLastStderrLine) {
  script("fails", "echo 'checking' >&2; echo 'disk is read-only' >&2; exit 3");
  auto outcome = run(R"({"script": "fails"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error,
            (scripts() / "fails").string() + " exited with code 3 (expected 0): disk is read-only");
  EXPECT_EQ(outcome->outputs.at("exit_code"), "3");
  EXPECT_EQ(outcome->outputs.at("stderr"), "checking\ndisk is read-only\n");
}

TEST_F(ExecPlugin, ExpectExitMakesAnotherCodeTheSuccess) {
  script("three", "exit 3");
  auto outcome = run(R"({"script": "three", "expect_exit": 3})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_THAT(outcome->summary, HasSubstr(": exit 3 in "));
}

TEST_F(ExecPlugin, AtItsTimeoutItAndEverythingItStartedAreKilled) {
  auto pid_file = dir_.path() / "child.pid";
  script("hangs", "sleep 30 & echo $! > \"$1\"; sleep 30");
  auto started = std::chrono::steady_clock::now();
  auto outcome =
      run(R"({"script": "hangs", "args": [")" + pid_file.string() + R"("], "timeout": "1s"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error,
              HasSubstr("timed out after 1 s; it and everything it started were killed"));
  pid_t child = 0;
  std::ifstream(pid_file) >> child;
  ASSERT_GT(child, 0);
  EXPECT_TRUE(eventually([&] { return process_gone(child); })) << "left running: " << child;
}

TEST_F(ExecPlugin, TheTimeoutSettingIsTheDefault) {
  allow(R"(commands = ["/bin/echo"]
timeout = "1s")");
  script("hangs", "sleep 30");
  auto outcome = run(R"({"script": "hangs"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_THAT(outcome->error, HasSubstr("timed out after 1 s"));
}

TEST_F(ExecPlugin, ATimeoutSettingThatIsNotADurationIsNamed) {
  allow(R"(commands = ["/bin/echo"]
timeout = "soon")");
  auto outcome = run(R"({"command": "/bin/echo"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("setting 'timeout' must be seconds or a number with s, m "
                                        "or h (\"90s\", \"5m\"), got 'soon' (agent.toml)"));
}

TEST_F(ExecPlugin, StopsPromptlyWhenTheTaskIsCancelled) {
  auto pid_file = dir_.path() / "child.pid";
  script("hangs", "sleep 30 & echo $! > \"$1\"; sleep 30");
  std::thread canceller([&] {
    eventually([&] { return fs::exists(pid_file) && fs::file_size(pid_file) > 0; });
    harness_->cancel() = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto outcome = run(R"({"script": "hangs", "args": [")" + pid_file.string() + R"("]})");
  canceller.join();
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("cancelled: "));
  pid_t child = 0;
  std::ifstream(pid_file) >> child;
  ASSERT_GT(child, 0);
  EXPECT_TRUE(eventually([&] { return process_gone(child); })) << "left running: " << child;
}

TEST_F(ExecPlugin, AVerifyScriptThatPassesMarksTheTaskVerified) {
  touching_script("fix");
  script("check", "test -e '" + marker().string() + "'");
  auto outcome = run(R"({"script": "fix", "verify_script": "check"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_TRUE(outcome->verified);
  EXPECT_THAT(outcome->outputs.at("verify"), StartsWith("passed: "));
  EXPECT_EQ(outcome->outputs.at("verify_exit_code"), "0");
}

TEST_F(ExecPlugin, AVerifyCommandThatFailsFailsTheTask) {
  script("check", "echo 'service still down' >&2; exit 1");
  auto outcome = run(R"({"command": "/bin/echo", "args": ["fixed"], "verify_script": "check"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_FALSE(outcome->verified);
  EXPECT_THAT(outcome->error, StartsWith("verify failed: "));
  EXPECT_THAT(outcome->error, EndsWith("exited with code 1 (expected 0): service still down; "
                                       "the plugin has no rollback"));
  EXPECT_EQ(outcome->outputs.at("stdout"), "fixed\n");  // the command itself did run
}

TEST_F(ExecPlugin, AVerifyCommandMustBeAllowedTooAndIsCheckedBeforeAnythingRuns) {
  touching_script("fix");
  auto outcome = run(R"({"script": "fix", "verify_command": "/bin/cat"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("verify_command /bin/cat is not allowed on this node"));
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, ExactlyOneOfCommandAndScriptIsGiven) {
  touching_script("fix");
  for (const char* params : {R"({"command": "/bin/echo", "script": "fix"})", "{}"}) {
    auto outcome = run(params);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_FALSE(outcome->succeeded);
    EXPECT_THAT(outcome->error, HasSubstr("give exactly one of command and script"));
  }
  EXPECT_FALSE(fs::exists(marker()));
}

TEST_F(ExecPlugin, AnAllowListedProgramThatIsMissingSaysSoBeforeRunning) {
  allow(R"(commands = ["/nonexistent/tool"])");
  auto outcome = run(R"({"command": "/nonexistent/tool"})", /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error,
              HasSubstr("command /nonexistent/tool cannot be run: No such file or directory"));
}

TEST_F(ExecPlugin, KeepsOnlyTheTailOfALongOutput) {
  script("chatty",
         "i=0; while [ $i -lt 2000 ]; do echo \"line $i of some output\"; "
         "i=$((i+1)); done; echo END");
  auto outcome = run(R"({"script": "chatty"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_LE(outcome->outputs.at("stdout").size(), 8u * 1024);
  EXPECT_THAT(outcome->outputs.at("stdout"), EndsWith("line 1999 of some output\nEND\n"));
  EXPECT_EQ(outcome->outputs.at("output_truncated"), "only the last 8 KiB of each stream");
}

}  // namespace
}  // namespace tend
