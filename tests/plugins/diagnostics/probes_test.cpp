// The pieces of the diagnostics plugin as plain functions, fed sample text
// from /proc: process parsing, the CPU share between two samples, the log
// search, the checks of a request, and the words of the summary. (What the
// agent shares with it, mounts, memory, load, failed units: tests/core/host.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/host/load.h"
#include "core/host/memory.h"
#include "core/host/mounts.h"
#include "plugins/diagnostics/diagnostics_request.h"
#include "plugins/diagnostics/failed_units.h"
#include "plugins/diagnostics/log_errors.h"
#include "plugins/diagnostics/processes.h"
#include "plugins/diagnostics/report_text.h"

namespace tend::plugins::diagnostics {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Field 14/15 utime/stime, 22 starttime, 24 rss.
constexpr std::string_view kStat =
    "15634 (cat) R 15632 15632 6400 0 -1 4194304 99 0 0 0 120 30 0 0 20 0 1 0 153470 3133440 389 "
    "18446744073709551615 93985131040768 93985131060649 140727134804032 0 0 0 0 0 0 0 0 0 17 0 0 "
    "0 0 0 0\n";

TEST(DiagnosticsProbes, ParsesAProcStatLine) {
  auto sample = parse_proc_stat(kStat);
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->pid, 15634);
  EXPECT_EQ(sample->name, "cat");
  EXPECT_EQ(sample->cpu_ticks, 150u);
  EXPECT_EQ(sample->start_ticks, 153470u);
  EXPECT_EQ(sample->rss_pages, 389u);
}

TEST(DiagnosticsProbes, AProcessNameWithSpacesAndParenthesesIsNotMisread) {
  std::string stat(kStat);
  stat.replace(stat.find("(cat)"), 5, "(evil) R 1 2 (x)");
  auto sample = parse_proc_stat(stat);
  ASSERT_TRUE(sample);
  EXPECT_EQ(sample->name, "evil) R 1 2 (x");
  EXPECT_EQ(sample->rss_pages, 389u);
  EXPECT_FALSE(parse_proc_stat("15634 (cat) R 1 2"));
  EXPECT_FALSE(parse_proc_stat("not a stat line"));
}

TEST(DiagnosticsProbes, CpuShareIsTheTickDifferenceOverTheInterval) {
  std::vector<ProcessSample> before = {{1, "busy", 1000, 10, 100},
                                       {2, "idle", 500, 20, 200},
                                       {3, "reused", 0, 30, 1},
                                       {4, "exited", 0, 40, 1}};
  std::vector<ProcessSample> after = {{1, "busy", 1050, 10, 100},
                                      {2, "idle", 500, 20, 300},
                                      {3, "reused", 0, 99, 1},  // another process, same pid
                                      {5, "new", 5, 50, 1}};
  auto usage = usage_between(before, after, 0.5, 100, 4096);
  ASSERT_EQ(usage.size(), 2u);
  EXPECT_EQ(usage[0].pid, 1);
  EXPECT_DOUBLE_EQ(usage[0].cpu_percent, 100.0);  // 50 ticks in 0.5 s at 100/s
  EXPECT_EQ(usage[1].pid, 2);
  EXPECT_DOUBLE_EQ(usage[1].cpu_percent, 0.0);
  EXPECT_EQ(usage[1].rss_bytes, 300u * 4096);  // the later sample
}

TEST(DiagnosticsProbes, TopListsAreOrderedAndBounded) {
  std::vector<ProcessUsage> all = {
      {10, "a", 100, 5.0}, {11, "b", 300, 1.0}, {12, "c", 200, 50.0}, {9, "d", 300, 0.0}};
  auto by_rss = top_by_rss(all, 3);
  ASSERT_EQ(by_rss.size(), 3u);
  EXPECT_EQ(by_rss[0].pid, 9);  // a tie on RSS goes to the lower pid
  EXPECT_EQ(by_rss[1].pid, 11);
  EXPECT_EQ(by_rss[2].pid, 12);
  auto by_cpu = top_by_cpu(all, 10);
  ASSERT_EQ(by_cpu.size(), 4u);
  EXPECT_EQ(by_cpu[0].name, "c");
  EXPECT_EQ(by_cpu[1].name, "a");
}

TEST(DiagnosticsProbes, TheLogPatternTakesAGrepStyleCaseFlag) {
  auto pattern = compile_log_pattern(std::string(kDefaultLogPattern));
  ASSERT_TRUE(pattern) << pattern.error().message;
  EXPECT_TRUE(line_matches(*pattern, "kernel: PANIC"));
  EXPECT_TRUE(line_matches(*pattern, "Job Failed"));
  EXPECT_FALSE(line_matches(*pattern, "all good"));
  auto exact = compile_log_pattern("ERROR");
  ASSERT_TRUE(exact);
  EXPECT_FALSE(line_matches(*exact, "error"));
  auto broken = compile_log_pattern("(unclosed");
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message, HasSubstr("is not a valid regular expression"));
  EXPECT_FALSE(compile_log_pattern("(?i)"));
}

TEST(DiagnosticsProbes, KeepsTheLastMatchingLinesAndCountsThemAll) {
  auto pattern = *compile_log_pattern("(?i)error");
  auto found = find_matching_lines(
      "ok 1\nerror one\nok 2\nERROR two\r\nerror three\nok 3\nError four", pattern, 2, false);
  EXPECT_EQ(found.matched, 4u);
  EXPECT_THAT(found.lines, ElementsAre("error three", "Error four"));
}

TEST(DiagnosticsProbes, ATailCutMidLineSkipsItsPartialFirstLine) {
  auto pattern = *compile_log_pattern("error");
  auto found = find_matching_lines("r in a cut line\nerror whole\n", pattern, 10, true);
  EXPECT_THAT(found.lines, ElementsAre("error whole"));
  auto whole = find_matching_lines("\nerror first whole line\n", pattern, 10, true);
  EXPECT_THAT(whole.lines, ElementsAre("error first whole line"));
}

TEST(DiagnosticsProbes, AVeryLongLineIsCutBeforeItIsReported) {
  auto pattern = *compile_log_pattern("error");
  auto found = find_matching_lines("error " + std::string(10000, 'x') + "\n", pattern, 5, false);
  ASSERT_EQ(found.lines.size(), 1u);
  EXPECT_EQ(found.lines[0].size(), kLogLineBytes);
}

TEST(DiagnosticsProbes, ALogFileMustBeOneTheOperatorAllowed) {
  DiagnosticsParams params{.sections = {"log"}, .log_file = "/etc/shadow"};
  auto refused = make_request(params, {"/var/log/syslog"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "log_file /etc/shadow is not allowed on this node: [plugin.diagnostics] log_files = "
            "[\"/var/log/syslog\"]");
  auto unset = make_request(params, {});
  ASSERT_FALSE(unset);
  EXPECT_THAT(unset.error().message, HasSubstr("set [plugin.diagnostics] log_files = "));

  params.log_file = "/var/log/syslog";
  EXPECT_EQ(make_request(params, {"/var/log/auth.log", "/var/log/syslog"})->log_file,
            "/var/log/syslog");
  params.log_file = "";
  EXPECT_EQ(make_request(params, {"/var/log/auth.log", "/var/log/syslog"})->log_file,
            "/var/log/auth.log");
  auto skipped = make_request(params, {});
  ASSERT_TRUE(skipped);
  EXPECT_EQ(skipped->log_file, "");
  EXPECT_THAT(skipped->log_note, HasSubstr("log_files"));
}

TEST(DiagnosticsProbes, ARequestKeepsItsNumbersWithinBounds) {
  auto top = make_request({.sections = {"processes"}, .top = 0}, {});
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().message, "top must be from 1 to 50, got 0");
  auto lines = make_request({.sections = {"log"}, .log_lines = 1000}, {});
  ASSERT_FALSE(lines);
  EXPECT_EQ(lines.error().message, "log_lines must be from 1 to 200, got 1000");
  EXPECT_FALSE(make_request({.sections = {}}, {}));
  EXPECT_FALSE(make_request({.sections = {"cpu"}}, {}));
  auto misplaced =
      make_request({.sections = {"disk"}, .log_file = "/var/log/syslog"}, {"/var/log/syslog"});
  ASSERT_FALSE(misplaced);
  EXPECT_THAT(misplaced.error().message, HasSubstr("add log to sections"));
}

TEST(DiagnosticsProbes, SizesReadAsPeopleWriteThem) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(1023), "1023 B");
  EXPECT_EQ(human_bytes(1536), "1.5 KiB");
  EXPECT_EQ(human_bytes(3ull << 30), "3.0 GiB");
}

TEST(DiagnosticsProbes, TheSummaryPhrasesNameTheWorstOfEach) {
  std::vector<host::MountUsage> mounts = {
      {.mount_point = "/", .disk_percent = 93, .inode_percent = 12},
      {.mount_point = "/var", .disk_percent = 40, .inode_percent = 97},
      {.mount_point = "/data", .disk_percent = 10, .inode_percent = -1}};
  EXPECT_EQ(disk_phrase(mounts, true, true), "disk / 93% (inodes 12%), inodes /var 97%");
  EXPECT_EQ(disk_phrase(mounts, true, false), "disk / 93%");
  EXPECT_EQ(disk_phrase(mounts, false, true), "inodes /var 97%");
  EXPECT_EQ(disk_phrase({mounts[2]}, true, true), "disk /data 10% (inodes n/a)");

  host::MemInfo memory{.total_bytes = 1000, .available_bytes = 290};
  EXPECT_EQ(memory_phrase(memory), "mem 71% used");
  EXPECT_EQ(load_phrase({0.42, 0.3, 0.2}, 2), "load 0.42 (2 CPUs)");
  EXPECT_EQ(process_phrase({{42, "java", 3ull << 30, 1.0}}), "largest java 3.0 GiB");

  EXPECT_EQ(units_phrase({.systemd_running = false}), "systemd not running");
  EXPECT_EQ(units_phrase({.systemd_running = true}), "no failed units");
  EXPECT_EQ(units_phrase({.systemd_running = true, .units = {"a", "b"}}), "2 failed units");
  EXPECT_EQ(units_phrase({.systemd_running = true, .units = {"a"}}), "1 failed unit");

  LogScan scan{.matches = {.lines = {"x"}, .matched = 3}};
  EXPECT_EQ(log_phrase("/var/log/syslog", scan), "3 error lines in /var/log/syslog");
  scan.whole_file = false;
  EXPECT_EQ(log_phrase("/var/log/syslog", scan),
            "3 error lines in the last 4.0 MiB of /var/log/syslog");
  EXPECT_EQ(log_phrase("/x", {.error = "Permission denied"}), "cannot read /x");
}

}  // namespace
}  // namespace tend::plugins::diagnostics
