// The runner zygote loads plugins once and forks one runner per task: each
// runner is still a fresh process of the agent's own, in its own process
// group, and a plugin that misbehaves while being loaded is left out
// without taking the zygote, or any other plugin's tasks, down.
#include "core/agent/runner/runner_zygote.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "core/agent/runner/runner_pool.h"
#include "tests/core/agent/plugin_test_files.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::noop_plugin;
using testing::TempDir;
using testing::test_plugin;

namespace fs = std::filesystem;

// The fields of /proc/<pid>/stat after the command name: state is [0],
// ppid [1], pgrp [2]. Empty once the process is gone.
std::vector<std::string> proc_stat(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line((std::istreambuf_iterator<char>(in)), {});
  if (line.rfind(')') == std::string::npos) return {};
  std::istringstream rest(line.substr(line.rfind(')') + 2));
  std::vector<std::string> fields;
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

RunnerOutcome run(RunnerProcess& runner, const fs::path& plugin,
                  std::map<std::string, std::string> params = {}) {
  tend::RunnerRequest request;
  request.set_plugin_path(fs::canonical(plugin).string());
  request.mutable_task()->set_id("t1");
  for (auto& [k, v] : params) {
    (*request.mutable_task()->mutable_params()->mutable_fields())[k].set_string_value(v);
  }
  request.set_memory_limit_bytes(256ULL << 20);
  std::atomic<bool> cancel{false};
  return runner.run(request, cancel, RunnerLimits{});
}

std::unique_ptr<RunnerZygote> start(const std::vector<fs::path>& plugins,
                                    std::chrono::milliseconds load_timeout = 10s) {
  std::vector<fs::path> resolved;
  for (const auto& p : plugins) resolved.push_back(fs::canonical(p));
  auto zygote = RunnerZygote::start(TEND_PLUGIN_RUNNER, resolved, load_timeout);
  EXPECT_TRUE(zygote) << zygote.error().message;
  return zygote ? std::move(*zygote) : nullptr;
}

std::vector<std::string> left_out_lines(const RunnerZygote& zygote) {
  std::vector<std::string> lines;
  for (const auto& left : zygote.left_out()) lines.push_back(left.why);
  return lines;
}

TEST(RunnerZygote, ARunnerIsAChildOfTheAgentInAProcessGroupOfItsOwn) {
  auto zygote = start({});
  ASSERT_TRUE(zygote);
  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  auto stat = proc_stat((*runner)->pid());
  ASSERT_GE(stat.size(), 3u);
  EXPECT_EQ(stat[1], std::to_string(getpid())) << "the agent, not the zygote, is its parent";
  EXPECT_EQ(stat[2], std::to_string((*runner)->pid())) << "it leads its own process group";
  EXPECT_NE(stat[2], std::to_string(zygote->pid()));
}

TEST(RunnerZygote, ARunnerRunsAPluginTheZygoteLoadedAhead) {
  auto zygote = start({test_plugin("test_scripted.so")});
  ASSERT_TRUE(zygote);
  EXPECT_EQ(zygote->preloaded().size(), 1u);
  EXPECT_TRUE(zygote->left_out().empty());
  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, test_plugin("test_scripted.so"));
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_TRUE(outcome.response.succeeded()) << outcome.response.error();
  EXPECT_EQ(outcome.response.outputs().at("remediate"), "ran");
}

TEST(RunnerZygote, APluginNotLoadedAheadIsLoadedByItsRunner) {
  auto zygote = start({});
  ASSERT_TRUE(zygote);
  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, test_plugin("test_echo_params.so"));
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_TRUE(outcome.response.succeeded()) << outcome.response.error();
  EXPECT_EQ(outcome.response.outputs().at("text"), "hello");
}

TEST(RunnerZygote, NothingAPluginDoesInOneTaskIsSeenByTheNext) {
  auto zygote = start({test_plugin("test_misbehaving.so")});
  ASSERT_TRUE(zygote);
  std::set<std::string> pids;
  for (int i = 0; i < 3; ++i) {
    auto runner = zygote->fork_runner();
    ASSERT_TRUE(runner) << runner.error().message;
    auto outcome = run(**runner, test_plugin("test_misbehaving.so"), {{"mode", "remember"}});
    ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded) << outcome.stderr_text;
    EXPECT_EQ(outcome.response.outputs().at("runs"), "1") << "task " << i;
    pids.insert(outcome.response.outputs().at("pid"));
  }
  EXPECT_EQ(pids.size(), 3u) << "each task in a process of its own";
}

TEST(RunnerZygote, ARunnerThatAnsweredExitsOnlyOnceTheAgentLetsItGo) {
  auto zygote = start({noop_plugin()});
  ASSERT_TRUE(zygote);
  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  const pid_t pid = (*runner)->pid();
  ASSERT_EQ(run(**runner, noop_plugin()).end, RunnerOutcome::End::kResponded);
  std::this_thread::sleep_for(50ms);
  auto stat = proc_stat(pid);
  ASSERT_FALSE(stat.empty());
  EXPECT_NE(stat[0], "Z") << "it waits, its teardown off the task's clock";
  (*runner)->finish();
  EXPECT_TRUE(proc_stat(pid).empty()) << "let go, it exited and was reaped";
}

TEST(RunnerZygote, APluginCopiedOverInPlaceKeepsRunningAsItWasLoaded) {
  TempDir dir;
  auto scripted = dir.add(test_plugin("test_scripted.so"), "scripted.so");
  auto zygote = start({scripted});
  ASSERT_TRUE(zygote);
  ASSERT_EQ(zygote->preloaded().size(), 1u);
  // What `cp other.so scripted.so` does: the same file, truncated and
  // rewritten. Had the zygote mapped the file itself, runners forked from it
  // would now fault on the vanished pages.
  std::ofstream(scripted, std::ios::trunc) << "not a plugin any more";

  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, scripted);
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded) << outcome.stderr_text;
  EXPECT_TRUE(outcome.response.succeeded()) << outcome.response.error();
  EXPECT_EQ(outcome.response.outputs().at("remediate"), "ran");
}

TEST(RunnerZygote, AFileThatNowHoldsAnotherPluginRunsNothing) {
  TempDir dir;
  // The agent knew fix.so as noop; since its last reload the file became another plugin.
  auto file = dir.add(test_plugin("test_scripted.so"), "fix.so");
  auto zygote = start({});
  ASSERT_TRUE(zygote);
  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  tend::RunnerRequest request;
  request.set_plugin_path(fs::canonical(file).string());
  request.mutable_task()->set_id("t1");
  request.mutable_task()->set_plugin("noop");
  std::atomic<bool> cancel{false};
  auto outcome = (*runner)->run(request, cancel, RunnerLimits{});
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded) << outcome.stderr_text;
  EXPECT_FALSE(outcome.response.succeeded());
  EXPECT_THAT(outcome.response.error(), HasSubstr("now holds plugin 'scripted', not 'noop'"));
  EXPECT_FALSE(outcome.response.outputs().contains("remediate")) << "nothing of it ran";
}

TEST(RunnerZygote, APluginReadingStdinFindsItEmpty) {
  auto zygote = start({test_plugin("test_misbehaving.so")});
  ASSERT_TRUE(zygote);
  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, test_plugin("test_misbehaving.so"), {{"mode", "read-stdin"}});
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_EQ(outcome.response.outputs().at("stdin_bytes"), "0");
}

TEST(RunnerZygote, ACrashInARunnerLeavesTheZygoteForking) {
  auto zygote = start({test_plugin("test_misbehaving.so")});
  ASSERT_TRUE(zygote);
  auto crashing = zygote->fork_runner();
  ASSERT_TRUE(crashing) << crashing.error().message;
  auto outcome = run(**crashing, test_plugin("test_misbehaving.so"), {{"mode", "abort"}});
  EXPECT_EQ(outcome.end, RunnerOutcome::End::kCrashed);
  EXPECT_EQ(outcome.signal, SIGABRT);
  auto next = zygote->fork_runner();
  ASSERT_TRUE(next) << next.error().message;
  outcome = run(**next, test_plugin("test_misbehaving.so"), {{"mode", "remember"}});
  EXPECT_EQ(outcome.end, RunnerOutcome::End::kResponded);
}

TEST(RunnerZygote, APluginThatCrashesWhenLoadedIsLeftOutAndFailsOnlyItsOwnTasks) {
  TempDir dir;
  auto crashy = dir.add(TEND_CRASH_ON_LOAD_PLUGIN, "crashy.so");
  auto scripted = dir.add(test_plugin("test_scripted.so"), "scripted.so");
  auto zygote = start({crashy, scripted});
  ASSERT_TRUE(zygote);
  ASSERT_EQ(zygote->preloaded().size(), 1u);
  EXPECT_EQ(zygote->preloaded()[0].filename(), "scripted.so");
  EXPECT_THAT(
      left_out_lines(*zygote),
      Contains(HasSubstr("crashy.so: loading it ended the runner zygote (killed by SIGSEGV)")));

  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, crashy);
  EXPECT_EQ(outcome.end, RunnerOutcome::End::kCrashed);
  EXPECT_EQ(outcome.signal, SIGSEGV);

  runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  outcome = run(**runner, scripted);
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_TRUE(outcome.response.succeeded()) << outcome.response.error();
}

TEST(RunnerZygote, APluginThatHangsWhenLoadedIsLeftOutInTime) {
  TempDir dir;
  auto hangs = dir.add(TEND_HANG_ON_LOAD_PLUGIN, "hangs.so");
  auto noop = dir.add(noop_plugin(), "noop.so");
  auto t0 = std::chrono::steady_clock::now();
  auto zygote = start({hangs, noop}, 300ms);
  ASSERT_TRUE(zygote);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
  ASSERT_EQ(zygote->preloaded().size(), 1u);
  EXPECT_EQ(zygote->preloaded()[0].filename(), "noop.so");
  EXPECT_THAT(left_out_lines(*zygote),
              Contains(HasSubstr("hangs.so: loading it did not finish within 300 ms")));
}

TEST(RunnerZygote, APluginThatStartsThreadsWhenLoadedIsLoadedByEachRunnerInstead) {
  TempDir dir;
  auto threads = dir.add(TEND_THREADS_ON_LOAD_PLUGIN, "threads.so");
  auto noop = dir.add(noop_plugin(), "noop.so");
  auto zygote = start({threads, noop});
  ASSERT_TRUE(zygote);
  ASSERT_EQ(zygote->preloaded().size(), 1u);
  EXPECT_EQ(zygote->preloaded()[0].filename(), "noop.so");
  EXPECT_THAT(left_out_lines(*zygote), Contains(HasSubstr("threads.so: it started 1 thread(s)")));

  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, threads);
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_TRUE(outcome.response.succeeded()) << outcome.response.error();
}

TEST(RunnerZygote, ARunnerOutlivesTheZygoteThatForkedIt) {
  auto zygote = start({noop_plugin()});
  ASSERT_TRUE(zygote);
  auto runner = zygote->fork_runner();
  ASSERT_TRUE(runner) << runner.error().message;
  zygote.reset();  // a reload replaces the zygote while tasks run
  auto outcome = run(**runner, noop_plugin());
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_TRUE(outcome.response.succeeded()) << outcome.response.error();
}

TEST(RunnerZygote, AZygoteThatDiedSaysSo) {
  auto zygote = start({});
  ASSERT_TRUE(zygote);
  ::kill(zygote->pid(), SIGKILL);
  auto runner = zygote->fork_runner();
  ASSERT_FALSE(runner);
  EXPECT_THAT(runner.error().message, HasSubstr("is gone"));
}

TEST(RunnerProcess, WithoutAZygoteARunnerIsStartedAfresh) {
  auto runner = RunnerProcess::spawn(TEND_PLUGIN_RUNNER);
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, test_plugin("test_scripted.so"));
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_TRUE(outcome.response.succeeded()) << outcome.response.error();
}

// --- the pool ----------------------------------------------------------------

TEST(RunnerPool, APluginATaskUsedIsLoadedAheadForTheTasksAfterIt) {
  RunnerPool pool(TEND_PLUGIN_RUNNER, 1);
  const fs::path scripted = fs::canonical(test_plugin("test_scripted.so"));
  pool.set_plugins({scripted, fs::canonical(noop_plugin())});
  ASSERT_TRUE(pool.wait_for_zygote(10s));
  EXPECT_TRUE(pool.preloaded().empty()) << "nothing is loaded before a task needs it";
  auto runner = pool.take(scripted);
  ASSERT_TRUE(runner) << runner.error().message;
  EXPECT_EQ(run(**runner, scripted).end, RunnerOutcome::End::kResponded);
  pool.retire(std::move(*runner));
  ASSERT_TRUE(pool.wait_for_zygote(10s));
  EXPECT_EQ(pool.preloaded(), std::vector<fs::path>{scripted});
}

TEST(RunnerPool, ASteadyStreamOfTasksStillGetsItsPluginLoadedAhead) {
  RunnerPool pool(TEND_PLUGIN_RUNNER, 1);
  const fs::path noop = fs::canonical(noop_plugin());
  pool.set_plugins({noop});
  ASSERT_TRUE(pool.wait_for_zygote(10s));
  // A task every 50 ms: never the quiet spell that replaces the zygote
  // otherwise, yet within a few seconds the tasks stop loading noop.
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (pool.preloaded().empty() && std::chrono::steady_clock::now() < give_up) {
    auto runner = pool.take(noop);
    ASSERT_TRUE(runner) << runner.error().message;
    EXPECT_EQ(run(**runner, noop).end, RunnerOutcome::End::kResponded);
    pool.retire(std::move(*runner));
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(pool.preloaded(), std::vector<fs::path>{noop});
}

TEST(RunnerPool, AZygoteThatDiesIsReplacedAndTasksGoOnMeanwhile) {
  RunnerPool pool(TEND_PLUGIN_RUNNER, 0);
  ASSERT_TRUE(pool.wait_for_zygote(10s));
  const pid_t zygote = pool.zygote_pid();
  ASSERT_GT(zygote, 0);
  ::kill(zygote, SIGKILL);
  for (int i = 0; i < 3; ++i) {
    auto runner = pool.take();
    ASSERT_TRUE(runner) << runner.error().message;
    auto outcome = run(**runner, noop_plugin());
    EXPECT_EQ(outcome.end, RunnerOutcome::End::kResponded) << "task " << i;
    pool.retire(std::move(*runner));
  }
  ASSERT_TRUE(pool.wait_for_zygote(10s));
  EXPECT_NE(pool.zygote_pid(), zygote);
}

TEST(RunnerPool, AReloadReplacesTheZygoteSoTasksRunThePluginAsItIsNow) {
  TempDir dir;
  auto plugin = fs::canonical(dir.add(test_plugin("test_scripted.so"), "fix.so"));
  RunnerPool pool(TEND_PLUGIN_RUNNER, 1);
  pool.set_plugins({plugin});
  auto runner = pool.take(plugin);
  ASSERT_TRUE(runner) << runner.error().message;
  EXPECT_TRUE(run(**runner, plugin).response.outputs().contains("remediate"));
  pool.retire(std::move(*runner));
  ASSERT_TRUE(pool.wait_for_zygote(10s));
  ASSERT_EQ(pool.preloaded(), std::vector<fs::path>{plugin});

  // A package upgrade: a new file under the same name, then a reload.
  dir.add(test_plugin("test_echo_params.so"), "fix.so.new");
  fs::rename(dir.path() / "fix.so.new", plugin);
  pool.set_plugins({plugin});
  runner = pool.take(plugin);
  ASSERT_TRUE(runner) << runner.error().message;
  auto outcome = run(**runner, plugin);
  ASSERT_EQ(outcome.end, RunnerOutcome::End::kResponded);
  EXPECT_TRUE(outcome.response.outputs().contains("text")) << "the new plugin ran";
}

}  // namespace
}  // namespace tend
