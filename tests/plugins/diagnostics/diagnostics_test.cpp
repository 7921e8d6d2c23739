// diagnostics, through its real .so, on this very machine: what it reports
// must agree with what the kernel says (statvfs, sysinfo, sysconf), this
// test process must show up when it holds memory or burns CPU, a log file
// is read only when the operator allowed it, and nothing is ever changed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/plugin_harness.h"
#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Key;
using ::testing::Not;
using testing::PluginHarness;
using testing::TempDir;

class DiagnosticsPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = PluginHarness::load(TEND_PLUGIN_FILE);
    ASSERT_TRUE(loaded) << loaded.error().message;
    harness_ = std::make_unique<PluginHarness>(std::move(*loaded));
  }

  void allow_logs(const std::string& files) {
    auto ok = harness_->set_settings("log_files = " + files);
    ASSERT_TRUE(ok) << ok.error().message;
  }

  Expected<PluginOutcome> run(const std::string& params, bool dry_run = false) {
    return harness_->run(params, dry_run);
  }

  // The line of a top list that names this process, or "".
  static std::string line_for_this_process(const std::string& list) {
    std::istringstream lines(list);
    std::string line, mine = std::to_string(getpid()) + " ";
    while (std::getline(lines, line)) {
      if (line.rfind(mine, 0) == 0) return line;
    }
    return "";
  }

  TempDir dir_{"tend-diagnostics-test"};
  std::unique_ptr<PluginHarness> harness_;
};

int leading_percent(const std::string& text) { return std::stoi(text.substr(0, text.find('%'))); }

TEST_F(DiagnosticsPlugin, ReportsTheRootFilesystemAsStatvfsSeesIt) {
  auto outcome = run(R"({"sections": ["disk", "inodes"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  ASSERT_THAT(outcome->outputs, Contains(Key("disk:/")));
  int reported = leading_percent(outcome->outputs.at("disk:/"));
  struct statvfs fs {};
  ASSERT_EQ(statvfs("/", &fs), 0);
  double used = static_cast<double>(fs.f_blocks - fs.f_bfree);
  double expected = 100.0 * used / (used + static_cast<double>(fs.f_bavail));
  EXPECT_GE(reported, 0);
  EXPECT_LE(reported, 100);
  EXPECT_NEAR(reported, expected, 2.0);  // other tests write meanwhile
  EXPECT_GE(outcome->figures.at("disk_used_percent_max"), reported);
  EXPECT_LE(outcome->figures.at("disk_used_percent_max"), 100);
  EXPECT_THAT(outcome->outputs, Contains(Key("inodes:/")));
  EXPECT_THAT(outcome->outputs, Not(Contains(Key("disk:/proc"))));
  EXPECT_THAT(outcome->summary, ::testing::StartsWith("disk "));
}

TEST_F(DiagnosticsPlugin, ReportsATmpfsWhenOneIsMounted) {
  std::ifstream table("/proc/self/mounts");
  std::string device, mount_point, type, rest, tmpfs;
  while (table >> device >> mount_point >> type && std::getline(table, rest)) {
    struct statvfs fs {};
    if (type == "tmpfs" && statvfs(mount_point.c_str(), &fs) == 0 && fs.f_blocks > 0) {
      tmpfs = mount_point;
      break;
    }
  }
  if (tmpfs.empty()) GTEST_SKIP() << "no tmpfs with blocks is mounted here";
  auto outcome = run(R"({"sections": ["disk"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  // Either this tmpfs, or another mount of the same filesystem, is listed.
  bool listed = false;
  for (const auto& [key, value] : outcome->outputs) {
    if (key.rfind("disk:", 0) == 0 && value.find("(tmpfs)") != std::string::npos) {
      listed = true;
      int percent = leading_percent(value);
      EXPECT_GE(percent, 0);
      EXPECT_LE(percent, 100);
    }
  }
  EXPECT_TRUE(listed) << "no tmpfs among the filesystems, though " << tmpfs << " is one";
}

TEST_F(DiagnosticsPlugin, ReportsMemoryAsTheKernelCountsIt) {
  auto outcome = run(R"({"sections": ["memory"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  struct sysinfo info {};
  ASSERT_EQ(sysinfo(&info), 0);
  double total = static_cast<double>(info.totalram) * info.mem_unit;
  EXPECT_GT(outcome->figures.at("mem_total_bytes"), 0);
  EXPECT_NEAR(outcome->figures.at("mem_total_bytes"), total, total * 0.01);
  EXPECT_GT(outcome->figures.at("mem_available_bytes"), 0);
  EXPECT_LE(outcome->figures.at("mem_available_bytes"), outcome->figures.at("mem_total_bytes"));
  EXPECT_THAT(outcome->summary, ::testing::MatchesRegex("mem [0-9]+% used.*"));
}

TEST_F(DiagnosticsPlugin, ReportsThreeLoadAveragesAndTheCpuCount) {
  auto outcome = run(R"({"sections": ["load"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_THAT(outcome->outputs.at("load"),
              ::testing::MatchesRegex("[0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2} [0-9]+\\.[0-9]{2}"));
  for (const char* figure : {"load1", "load5", "load15"}) {
    EXPECT_GE(outcome->figures.at(figure), 0) << figure;
  }
  EXPECT_EQ(outcome->figures.at("cpu_count"), sysconf(_SC_NPROCESSORS_ONLN));
}

TEST_F(DiagnosticsPlugin, ThisProcessShowsUpByMemoryWhileItHoldsMuch) {
  constexpr size_t kHeld = 256u << 20;
  std::unique_ptr<char[]> held(new char[kHeld]);
  std::memset(held.get(), 1, kHeld);  // touched, so resident
  auto outcome = run(R"({"sections": ["processes"], "top": 50})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  std::string line = line_for_this_process(outcome->outputs.at("top_rss"));
  ASSERT_NE(line, "") << "pid " << getpid() << " not in\n" << outcome->outputs.at("top_rss");
  std::smatch size;
  ASSERT_TRUE(std::regex_search(line, size, std::regex(R"(: ([0-9.]+) MiB RSS)"))) << line;
  EXPECT_GE(std::stod(size[1]), 256.0) << line;
  EXPECT_GT(outcome->figures.at("process_count"), 1);
  volatile char keep = held[kHeld - 1];  // held until after the report
  (void)keep;
}

TEST_F(DiagnosticsPlugin, ABusyProcessShowsUpByCpu) {
  std::atomic<bool> stop{false};
  std::thread spinner([&] {
    volatile uint64_t n = 0;
    while (!stop) n = n + 1;
  });
  auto outcome = run(R"({"sections": ["processes"], "top": 50})");
  stop = true;
  spinner.join();
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  std::string line = line_for_this_process(outcome->outputs.at("top_cpu"));
  ASSERT_NE(line, "") << "pid " << getpid() << " not in\n" << outcome->outputs.at("top_cpu");
  std::smatch share;
  ASSERT_TRUE(std::regex_search(line, share, std::regex(R"(, ([0-9.]+)% CPU)"))) << line;
  // A spinning thread: well above an idle process's 0%, even on a two-core
  // machine that a parallel build keeps busy (16% seen there).
  EXPECT_GT(std::stod(share[1]), 5.0) << line;
}

TEST_F(DiagnosticsPlugin, ReportsTheLastMatchingLinesOfAnAllowedLogFile) {
  auto log = dir_.write("app.log",
                        "09:00 started\n"
                        "09:01 ERROR cannot connect to db\n"
                        "09:02 request ok\n"
                        "09:03 job failed: timeout\n"
                        "09:04 Kernel panic - not syncing\n"
                        "09:05 request ok\n"
                        "09:06 Fatal: out of memory\n");
  allow_logs("[\"" + log.string() + "\"]");
  auto outcome =
      run(R"({"sections": ["log"], "log_lines": 3, "log_file": ")" + log.string() + "\"}");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("log_lines"),
            "09:03 job failed: timeout\n"
            "09:04 Kernel panic - not syncing\n"
            "09:06 Fatal: out of memory");
  EXPECT_EQ(outcome->outputs.at("log_matched"), "4");
  EXPECT_EQ(outcome->figures.at("log_error_lines"), 4);
  EXPECT_EQ(outcome->outputs.at("log_scanned"), "whole file");
  EXPECT_EQ(outcome->summary, "4 error lines in " + log.string());
}

TEST_F(DiagnosticsPlugin, ATaskMayChooseItsOwnPattern) {
  auto log = dir_.write("app.log", "WARN disk slow\nERROR x\nWARN retrying\n");
  allow_logs("[\"" + log.string() + "\"]");
  auto outcome = run(R"({"sections": ["log"], "log_pattern": "^WARN"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("log_lines"), "WARN disk slow\nWARN retrying");
}

TEST_F(DiagnosticsPlugin, ReadsOnlyTheTailOfAHugeLog) {
  auto path = dir_.path() / "huge.log";
  {
    std::ofstream log(path);
    log << "ERROR at the very start, long ago\n";
    std::string filler(99, 'x');
    for (int i = 0; i < 60000; ++i) log << filler << '\n';  // ~6 MB
    log << "ERROR lately\n";
  }
  allow_logs("[\"" + path.string() + "\"]");
  auto outcome = run(R"({"sections": ["log"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("log_lines"), "ERROR lately");
  EXPECT_EQ(outcome->outputs.at("log_scanned"), "last 4.0 MiB");
  EXPECT_EQ(outcome->summary, "1 error line in the last 4.0 MiB of " + path.string());
}

TEST_F(DiagnosticsPlugin, ALogFileNotInTheAllowListIsRefused) {
  auto allowed = dir_.write("app.log", "ERROR x\n");
  allow_logs("[\"" + allowed.string() + "\"]");
  auto outcome = run(R"({"log_file": "/etc/passwd"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error,
            "log_file /etc/passwd is not allowed on this node: "
            "[plugin.diagnostics] log_files = [\"" +
                allowed.string() + "\"]");
  EXPECT_THAT(outcome->outputs, Not(Contains(Key("log_lines"))));
}

TEST_F(DiagnosticsPlugin, NamingALogFileWithoutTheLogFilesSettingIsRefusedNamingIt) {
  auto outcome = run(R"({"log_file": "/var/log/syslog"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("set [plugin.diagnostics] log_files = "));
}

TEST_F(DiagnosticsPlugin, WithoutAllowedLogsTheRestIsStillReported) {
  auto outcome = run(R"({"sections": ["memory", "log"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_THAT(outcome->outputs.at("log"), HasSubstr("set [plugin.diagnostics] log_files"));
  EXPECT_THAT(outcome->summary, ::testing::MatchesRegex("mem [0-9]+% used"));
}

TEST_F(DiagnosticsPlugin, AnUnreadableLogIsReportedWithoutFailingTheRest) {
  auto missing = dir_.path() / "rotated-away.log";
  allow_logs("[\"" + missing.string() + "\"]");
  auto outcome = run(R"({"sections": ["load", "log"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("log_error"),
            "cannot read " + missing.string() + ": No such file or directory");
  EXPECT_THAT(outcome->summary, HasSubstr(", cannot read " + missing.string()));
}

TEST_F(DiagnosticsPlugin, FailedUnitsSayWhetherSystemdRunsHere) {
  auto outcome = run(R"({"sections": ["units"]})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  struct stat st {};
  bool systemd = lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
  if (systemd) {
    EXPECT_THAT(outcome->figures, Contains(Key("failed_units")));
    EXPECT_THAT(outcome->summary, ::testing::MatchesRegex("(no|[0-9]+) failed units?"));
  } else {
    EXPECT_EQ(outcome->outputs.at("failed_units"), "systemd not running");
    EXPECT_EQ(outcome->summary, "systemd not running");
    EXPECT_THAT(outcome->figures, Not(Contains(Key("failed_units"))));
  }
}

TEST_F(DiagnosticsPlugin, TheSummaryIsOneLineCoveringEverySection) {
  auto log = dir_.write("app.log", "ERROR one\nok\nfailed two\n");
  allow_logs("[\"" + log.string() + "\"]");
  auto outcome = run("{}");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->summary.find('\n'), std::string::npos) << outcome->summary;
  EXPECT_THAT(
      outcome->summary,
      ::testing::MatchesRegex("disk [^ ]+ [0-9]+% \\(inodes [0-9]+%\\).*, mem [0-9]+% used.*, "
                              "load [0-9.]+ \\([0-9]+ CPUs?\\), largest .*, "
                              "(systemd not running|.*units?), 2 error lines in .*app.log"));
  EXPECT_FALSE(outcome->verified);  // nothing was changed, so nothing to verify
}

TEST_F(DiagnosticsPlugin, ADryRunReportsJustAsARunDoesAndSaysSo) {
  auto outcome = run(R"({"sections": ["memory", "load"]})", /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("dry_run"),
            "diagnostics only reads, so a dry run reports exactly as a run does");
  EXPECT_THAT(outcome->summary, ::testing::MatchesRegex("mem [0-9]+% used.*, load .*"));
  EXPECT_GT(outcome->figures.at("mem_total_bytes"), 0);
}

TEST_F(DiagnosticsPlugin, BadParamsAreRefusedBeforeAnythingIsRead) {
  auto top = run(R"({"top": 0})");
  ASSERT_TRUE(top) << top.error().message;
  EXPECT_FALSE(top->succeeded);
  EXPECT_EQ(top->error, "top must be from 1 to 50, got 0");
  EXPECT_TRUE(top->outputs.empty());

  auto pattern = run(R"({"log_pattern": "(unclosed"})");
  ASSERT_TRUE(pattern) << pattern.error().message;
  EXPECT_FALSE(pattern->succeeded);
  EXPECT_THAT(pattern->error, HasSubstr("log_pattern \"(unclosed\" is not a valid regular"));

  auto section = run(R"({"sections": ["disk", "cpu"]})");
  ASSERT_FALSE(section);  // the agent rejects it: not one of the allowed values
  EXPECT_THAT(section.error().message, HasSubstr("cpu"));
}

TEST_F(DiagnosticsPlugin, StopsPromptlyWhenTheTaskIsCancelled) {
  std::thread canceller([&] {
    std::this_thread::sleep_for(50ms);
    harness_->cancel() = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto outcome = run(R"({"sections": ["memory", "processes", "units"]})");
  auto took = std::chrono::steady_clock::now() - started;
  canceller.join();
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("cancelled while gathering"));
  EXPECT_THAT(outcome->error, HasSubstr("mem "));  // what it had gathered is kept
  EXPECT_LT(took, 450ms) << "waited out the CPU sampling interval";
}

}  // namespace
}  // namespace tend
