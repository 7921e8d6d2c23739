// Every task runs in its own runner process. Whatever the plugin does to that
// process, the caller gets one truthful Result back: whether the runner
// loaded the plugin itself or the runner zygote had it loaded ahead.
#include "core/agent/tasks/isolated_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/common/sanitizers.h"
#include "tests/support/eventually.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// The parameter: whether the zygote has every plugin loaded ahead.
class IsolatedRunnerTest : public ::testing::TestWithParam<bool> {
 protected:
  static void SetUpTestSuite() {
    catalog_ = new PluginCatalog();
    catalog_->load_directory(TEND_TEST_PLUGIN_DIR);
    catalog_->load_directory(TEND_TEST_PLUGIN_DIR);  // a reload keeps the same set
  }
  static void TearDownTestSuite() { delete catalog_; }

  IsolatedRunnerTest() : pool_(TEND_PLUGIN_RUNNER, 1), runner_(*catalog_, pool_, isolation()) {}

  void SetUp() override {
    if (!GetParam()) return;
    pool_.set_plugins(catalog_->paths());
    for (const auto& path : catalog_->paths()) {
      auto process = pool_.take(path);  // as a task would, so the zygote loads it ahead
      ASSERT_TRUE(process) << process.error().message;
      pool_.retire(std::move(*process));
    }
    ASSERT_TRUE(pool_.wait_for_zygote(10s));
    ASSERT_EQ(pool_.preloaded(), catalog_->paths());
  }

  static IsolationConfig isolation() {
    IsolationConfig iso;
    iso.memory_limit_bytes = 256ULL << 20;
    iso.kill_grace = 300ms;
    iso.output_limit_bytes = 4096;
    return iso;
  }

  tend::Task task(const std::string& plugin, std::map<std::string, std::string> params) {
    tend::Task t;
    t.set_id("t1");
    t.set_plugin(plugin);
    for (auto& [k, v] : params) (*t.mutable_params()->mutable_fields())[k].set_string_value(v);
    return t;
  }

  // Runs with a deadline the way TaskExecutor's watchdog enforces one.
  tend::Result run(const tend::Task& t, std::chrono::milliseconds deadline = 10s) {
    std::atomic<bool> cancel{false};
    std::thread watchdog([&] {
      if (!testing::eventually([&] { return done_.load(); }, deadline, 5ms)) cancel = true;
    });
    auto result = runner_.run(t, cancel);
    done_ = true;
    watchdog.join();
    return result;
  }

  static PluginCatalog* catalog_;
  std::atomic<bool> done_{false};
  RunnerPool pool_;
  IsolatedRunner runner_;
};

PluginCatalog* IsolatedRunnerTest::catalog_ = nullptr;

TEST_P(IsolatedRunnerTest, APluginThatWorksSucceedsWithItsOutputs) {
  auto r = run(task("scripted", {}));
  EXPECT_EQ(r.status(), tend::SUCCEEDED) << r.error();
  EXPECT_TRUE(r.verified());
  EXPECT_EQ(r.outputs().at("remediate"), "ran");
}

TEST_P(IsolatedRunnerTest, AFailingPluginIsFailedWithItsReason) {
  auto r = run(task("scripted", {{"remediate", "fail"}}));
  EXPECT_EQ(r.status(), tend::FAILED);
  EXPECT_NE(r.error().find("remediate was told to fail"), std::string::npos) << r.error();
}

TEST_P(IsolatedRunnerTest, UnknownPluginsAndBadParamsAreRejectedBeforeRunning) {
  EXPECT_NE(runner_.admit(task("nope", {})).find("unknown plugin 'nope'"), std::string::npos);
  EXPECT_NE(runner_.admit(task("misbehaving", {})).find("mode"), std::string::npos);
  EXPECT_NE(runner_.admit(task("misbehaving", {{"mode", "dance"}})).find("dance"),
            std::string::npos);
  EXPECT_EQ(runner_.admit(task("misbehaving", {{"mode", "hang"}})), "");
}

TEST_P(IsolatedRunnerTest, ASegfaultIsCrashedWithTheSignalName) {
  auto r = run(task("misbehaving", {{"mode", "segfault"}}));
  EXPECT_EQ(r.status(), tend::CRASHED);
  EXPECT_NE(r.error().find("SIGSEGV"), std::string::npos) << r.error();
}

TEST_P(IsolatedRunnerTest, AnAbortIsCrashedWithTheSignalName) {
  auto r = run(task("misbehaving", {{"mode", "abort"}}));
  EXPECT_EQ(r.status(), tend::CRASHED);
  EXPECT_NE(r.error().find("SIGABRT"), std::string::npos) << r.error();
}

TEST_P(IsolatedRunnerTest, ExitingWithoutAnAnswerIsCrashedWithTheExitCode) {
  auto r = run(task("misbehaving", {{"mode", "exit"}}));
  EXPECT_EQ(r.status(), tend::CRASHED);
  EXPECT_NE(r.error().find("exited with code 7"), std::string::npos) << r.error();
}

TEST_P(IsolatedRunnerTest, AHangIsStoppedAtTheDeadline) {
  auto t0 = std::chrono::steady_clock::now();
  auto r = run(task("misbehaving", {{"mode", "hang"}}), 200ms);
  EXPECT_EQ(r.status(), tend::TIMED_OUT);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST_P(IsolatedRunnerTest, APluginThatStopsWhenCancelledEndsWithoutWaitingForTheKill) {
  IsolationConfig patient = isolation();
  patient.kill_grace = 30s;
  IsolatedRunner runner(*catalog_, pool_, patient);
  std::atomic<bool> cancel{false};
  std::thread deadline([&] {
    std::this_thread::sleep_for(200ms);
    cancel = true;
  });
  auto t0 = std::chrono::steady_clock::now();
  auto r = runner.run(task("misbehaving", {{"mode", "wait-for-cancel"}}), cancel);
  deadline.join();
  EXPECT_EQ(r.status(), tend::TIMED_OUT);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s) << "it stopped: no SIGKILL needed";
}

TEST_P(IsolatedRunnerTest, APluginIgnoringSigtermIsKilledAfterTheGrace) {
  auto t0 = std::chrono::steady_clock::now();
  auto r = run(task("misbehaving", {{"mode", "hang-ignoring-term"}}), 200ms);
  EXPECT_EQ(r.status(), tend::TIMED_OUT);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST_P(IsolatedRunnerTest, ChildrenAPluginLeftBehindDieWithItsProcessGroup) {
  // Each variant's child sleeps its own time, as the two may run side by side.
  const std::string seconds = GetParam() ? "86398" : "86397";
  auto r =
      run(task("misbehaving", {{"mode", "hang-with-child"}, {"child_seconds", seconds}}), 200ms);
  EXPECT_EQ(r.status(), tend::TIMED_OUT);
  // Nothing of the plugin's process group is left, its `sleep` included.
  const std::string leftover = "pgrep -fx 'sleep " + seconds + "' >/dev/null";
  testing::eventually([&] { return system(leftover.c_str()) != 0; }, 5s, 50ms);
  EXPECT_NE(system(leftover.c_str()), 0);
}

TEST_P(IsolatedRunnerTest, RunningOutOfMemoryIsReportedAsSuch) {
  if (kAddressSanitizer) {
    GTEST_SKIP() << "under AddressSanitizer a plugin at its memory limit gets a fatal ASan "
                    "out-of-memory report, not the failed allocation this test is about";
  }
  auto r = run(task("misbehaving", {{"mode", "allocate"}}));
  EXPECT_TRUE(r.status() == tend::FAILED || r.status() == tend::CRASHED)
      << tend::Status_Name(r.status());
  EXPECT_NE(r.error().find("memory"), std::string::npos) << r.error();
}

TEST_P(IsolatedRunnerTest, APluginThatBurnsCpuIsStoppedAtItsCpuLimit) {
  IsolationConfig iso = isolation();
  iso.cpu_limit_s = 1;
  IsolatedRunner limited(*catalog_, pool_, iso);
  std::atomic<bool> cancel{false};
  auto r = limited.run(task("misbehaving", {{"mode", "spin"}}), cancel);
  EXPECT_EQ(r.status(), tend::CRASHED);
  EXPECT_THAT(r.error(), HasSubstr("CPU time limit of 1 s reached")) << r.error();
}

TEST_P(IsolatedRunnerTest, ASigkillIsNotBlamedOnTheCpuLimitItNeverReached) {
  IsolationConfig iso = isolation();
  iso.cpu_limit_s = 60;
  IsolatedRunner limited(*catalog_, pool_, iso);
  std::atomic<bool> cancel{false};
  auto r = limited.run(task("misbehaving", {{"mode", "kill-self"}}), cancel);
  EXPECT_EQ(r.status(), tend::CRASHED);
  EXPECT_THAT(r.error(), HasSubstr("crashed: SIGKILL"));
  EXPECT_THAT(r.error(), Not(HasSubstr("CPU time limit")));
}

TEST_P(IsolatedRunnerTest, APluginMayOpenNoMoreFilesThanItsLimit) {
  IsolationConfig iso = isolation();
  iso.open_files_limit = 32;
  IsolatedRunner limited(*catalog_, pool_, iso);
  std::atomic<bool> cancel{false};
  auto r = limited.run(task("misbehaving", {{"mode", "open-files"}}), cancel);
  ASSERT_EQ(r.status(), tend::SUCCEEDED) << r.error();
  EXPECT_LT(std::stoi(r.outputs().at("opened")), 32);
  EXPECT_EQ(r.outputs().at("why_not"), std::strerror(EMFILE));
}

TEST_P(IsolatedRunnerTest, AFloodOfOutputIsCutToTheLimit) {
  auto r = run(task("misbehaving", {{"mode", "flood"}}));
  EXPECT_EQ(r.status(), tend::SUCCEEDED) << r.error();
  ASSERT_TRUE(r.outputs().contains("stdout"));
  EXPECT_LE(r.outputs().at("stdout").size(), 4096u + 64);
  EXPECT_NE(r.outputs().at("stdout").find("[output truncated]"), std::string::npos);
}

TEST_P(IsolatedRunnerTest, EachPluginGetsItsOwnSettingsAndAReloadReplacesThem) {
  PluginSettings echo;
  echo.set("greeting", SettingValue{{"hello"}, false});
  PluginSettings other;
  other.set("greeting", SettingValue{{"not for echo-params"}, false});
  runner_.set_settings({{"echo-params", echo}, {"scripted", other}});
  auto r = run(task("echo-params", {}));
  ASSERT_EQ(r.status(), tend::SUCCEEDED) << r.error();
  EXPECT_EQ(r.outputs().at("setting_greeting"), "hello");

  runner_.set_settings({});
  r = run(task("echo-params", {}));
  EXPECT_EQ(r.outputs().at("setting_greeting"), "(unset)");
}

TEST_P(IsolatedRunnerTest, ThePluginsAreAdvertisedByName) {
  std::vector<std::string> names;
  for (const auto& info : runner_.plugins()) names.push_back(info.name());
  EXPECT_NE(std::find(names.begin(), names.end(), "misbehaving"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "scripted"), names.end());
}

INSTANTIATE_TEST_SUITE_P(Runners, IsolatedRunnerTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "PluginsLoadedAhead" : "PluginsLoadedPerTask";
                         });

}  // namespace
}  // namespace tend
