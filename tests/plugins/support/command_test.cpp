// The no-shell command runner the built-in plugins share: what a command
// said and how it ended, bounded output, and a stop at the timeout or on
// cancellation that takes the whole process group.
#include "plugins/support/command.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>

#include "tests/support/eventually.h"

namespace tend::plugins {
namespace {

using namespace std::chrono_literals;

TEST(Command, CapturesOutputAndTheExitCode) {
  auto r = run_command({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}});
  ASSERT_TRUE(r.started) << r.start_error;
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.describe(), "exited with code 3: err");
}

TEST(Command, ArgumentsAreNeverInterpretedByAShell) {
  auto r = run_command({.argv = {"echo", "$(id)", "; rm -rf /", "*"}});
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out, "$(id) ; rm -rf / *\n");
}

TEST(Command, AProgramThatDoesNotExistSaysSo) {
  auto r = run_command({.argv = {"/nonexistent/tool", "x"}});
  EXPECT_FALSE(r.started);
  EXPECT_EQ(r.describe(), "cannot run /nonexistent/tool: No such file or directory");
}

TEST(Command, EnvironmentAndWorkingDirectoryAndStdinAreGiven) {
  auto r = run_command({.argv = {"sh", "-c", "echo \"$GREETING $(pwd)\"; cat"},
                        .env = {"GREETING=hello"},
                        .working_dir = "/tmp",
                        .stdin_text = "from stdin"});
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out, "hello /tmp\nfrom stdin");
}

TEST(Command, KeepsTheTailOfAFlood) {
  auto r =
      run_command({.argv = {"sh", "-c", "yes | head -c 100000; echo END"}, .output_limit = 1000});
  ASSERT_TRUE(r.ok()) << r.describe();
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.out.size(), 1000u);
  EXPECT_EQ(r.out.substr(r.out.size() - 4), "END\n");
}

TEST(Command, IsStoppedAtItsTimeoutWithEverythingItStarted) {
  auto r = run_command(
      {.argv = {"sh", "-c", "sleep 30 & echo $! > /tmp/tend-command-test.pid; sleep 30"},
       .timeout = 300ms,
       .kill_grace = 200ms});
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(r.took, 5s);
  EXPECT_EQ(r.describe().rfind("timed out after", 0), 0u) << r.describe();
  pid_t child = 0;
  std::ifstream("/tmp/tend-command-test.pid") >> child;
  ASSERT_GT(child, 0);
  // The background sleep was in the same group: it must be gone (or a zombie
  // of init's about to be reaped).
  testing::eventually([&] { return kill(child, 0) != 0; }, 1s, 20ms);
  std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
  std::string pid, comm, state;
  stat >> pid >> comm >> state;
  EXPECT_TRUE(!stat || state == "Z") << "left running: " << state;
}

TEST(Command, StopsWhenTheTaskIsCancelled) {
  auto start = std::chrono::steady_clock::now();
  auto r = run_command({.argv = {"sleep", "30"}, .kill_grace = 200ms},
                       [&] { return std::chrono::steady_clock::now() - start > 200ms; });
  EXPECT_TRUE(r.cancelled);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.signal, SIGTERM);
  EXPECT_EQ(r.describe(), "stopped: the task was cancelled");
}

TEST(Command, ADaemonHoldingThePipesDoesNotHoldUpTheResult) {
  auto r = run_command({.argv = {"sh", "-c", "setsid sleep 3 & echo started"}});
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_LT(r.took, 2s);
  EXPECT_EQ(r.out, "started\n");
}

}  // namespace
}  // namespace tend::plugins
