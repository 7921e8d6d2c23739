#include "plugins/diagnostics/sections.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/host/load.h"
#include "core/host/memory.h"
#include "core/host/mounts.h"
#include "core/host/proc_text.h"
#include "plugins/diagnostics/failed_units.h"
#include "plugins/diagnostics/log_errors.h"
#include "plugins/diagnostics/processes.h"
#include "plugins/diagnostics/report_text.h"

namespace tend::plugins::diagnostics {
namespace {

using namespace std::chrono_literals;

// Long enough that a busy process shows (2% resolution at 100 ticks/s),
// short enough that the report comes back at once.
constexpr auto kCpuSampleInterval = 500ms;
constexpr auto kSleepSlice = 20ms;
// A node with hundreds of bind mounts still gets a readable Result.
constexpr size_t kMaxMounts = 64;
constexpr size_t kMaxUnitsListed = 50;
// Matching log lines kept in the Result; the oldest give way first.
constexpr size_t kMaxLogOutputBytes = 32 * 1024;

std::string joined(const std::vector<std::string>& lines, const char* separator) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : separator) + line;
  return out;
}

// Sleeps `wanted`, waking early when the task is cancelled.
void sleep_unless_cancelled(sdk::Context& ctx, std::chrono::milliseconds wanted) {
  auto until = std::chrono::steady_clock::now() + wanted;
  while (!ctx.cancelled() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(kSleepSlice);
  }
}

}  // namespace

std::string report_filesystems(sdk::Context& ctx, bool disk, bool inodes) {
  auto table = host::read_whole_file("/proc/self/mounts");
  if (!table) {
    ctx.output("disk_error", "cannot read /proc/self/mounts");
    return "disk unknown";
  }
  size_t not_shown = 0;
  auto mounts = host::read_mount_usage(host::parse_mounts(*table), kMaxMounts, not_shown);
  int disk_max = 0, inodes_max = 0;
  for (const auto& m : mounts) {
    disk_max = std::max(disk_max, m.disk_percent);
    inodes_max = std::max(inodes_max, m.inode_percent);
    if (disk) {
      ctx.output("disk:" + m.mount_point, std::to_string(m.disk_percent) + "% used, " +
                                              human_bytes(m.available_bytes) + " free of " +
                                              human_bytes(m.size_bytes) + " (" + m.fs_type + ")");
    }
    if (inodes) {
      ctx.output("inodes:" + m.mount_point, m.inode_percent < 0
                                                ? std::string("not counted by ") + m.fs_type
                                                : std::to_string(m.inode_percent) + "% used, " +
                                                      std::to_string(m.inodes_free) + " free of " +
                                                      std::to_string(m.inodes_total));
    }
  }
  ctx.output("filesystems", mounts.size());
  if (not_shown > 0) ctx.output("filesystems_not_shown", not_shown);
  if (disk) ctx.figure("disk_used_percent_max", disk_max);
  if (inodes) ctx.figure("inodes_used_percent_max", inodes_max);
  return disk_phrase(mounts, disk, inodes);
}

std::string report_memory(sdk::Context& ctx) {
  auto text = host::read_whole_file("/proc/meminfo");
  auto memory = text ? host::parse_meminfo(*text) : std::nullopt;
  if (!memory) {
    ctx.output("memory_error", "cannot read /proc/meminfo");
    return "mem unknown";
  }
  ctx.output("mem_total", human_bytes(memory->total_bytes));
  ctx.output("mem_available", human_bytes(memory->available_bytes));
  ctx.output("mem_used_percent", memory->used_percent());
  ctx.output("swap_total", human_bytes(memory->swap_total_bytes));
  ctx.output("swap_used", human_bytes(memory->swap_used_bytes()));
  ctx.figure("mem_total_bytes", static_cast<double>(memory->total_bytes));
  ctx.figure("mem_available_bytes", static_cast<double>(memory->available_bytes));
  ctx.figure("mem_used_percent", memory->used_percent());
  ctx.figure("swap_total_bytes", static_cast<double>(memory->swap_total_bytes));
  ctx.figure("swap_used_bytes", static_cast<double>(memory->swap_used_bytes()));
  return memory_phrase(*memory);
}

std::string report_load(sdk::Context& ctx) {
  auto text = host::read_whole_file("/proc/loadavg");
  auto load = text ? host::parse_loadavg(*text) : std::nullopt;
  if (!load) {
    ctx.output("load_error", "cannot read /proc/loadavg");
    return "load unknown";
  }
  long cpus = host::online_cpus();
  char averages[96];
  std::snprintf(averages, sizeof averages, "%.2f %.2f %.2f", load->one, load->five, load->fifteen);
  ctx.output("load", averages);
  ctx.output("cpu_count", cpus);
  ctx.figure("load1", load->one);
  ctx.figure("load5", load->five);
  ctx.figure("load15", load->fifteen);
  ctx.figure("cpu_count", static_cast<double>(cpus));
  return load_phrase(*load, cpus);
}

std::string report_processes(sdk::Context& ctx, size_t top) {
  auto started = std::chrono::steady_clock::now();
  auto before = sample_processes();
  sleep_unless_cancelled(ctx, kCpuSampleInterval);
  if (ctx.cancelled()) return "processes not sampled (cancelled)";
  auto after = sample_processes();
  std::chrono::duration<double> interval = std::chrono::steady_clock::now() - started;
  auto usage =
      usage_between(before, after, interval.count(), sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE));
  auto by_rss = top_by_rss(usage, top);
  auto by_cpu = top_by_cpu(usage, top);
  std::vector<std::string> rss_lines, cpu_lines;
  for (const auto& p : by_rss) rss_lines.push_back(process_line(p));
  for (const auto& p : by_cpu) cpu_lines.push_back(process_line(p));
  ctx.output("top_rss", joined(rss_lines, "\n"));
  ctx.output("top_cpu", joined(cpu_lines, "\n"));
  ctx.output("process_count", after.size());
  ctx.figure("process_count", static_cast<double>(after.size()));
  if (!by_rss.empty()) ctx.figure("top_rss_bytes", static_cast<double>(by_rss.front().rss_bytes));
  if (!by_cpu.empty()) ctx.figure("top_cpu_percent", by_cpu.front().cpu_percent);
  return process_phrase(by_rss);
}

std::string report_units(sdk::Context& ctx) {
  auto units = list_failed_units([&ctx] { return ctx.cancelled(); });
  if (!units.systemd_running) {
    ctx.output("failed_units", "systemd not running");
  } else if (!units.error.empty()) {
    ctx.output("units_error", units.error);
  } else {
    std::vector<std::string> shown(units.units.begin(),
                                   units.units.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                             units.units.size(), kMaxUnitsListed)));
    std::string list = units.units.empty() ? "none" : joined(shown, ", ");
    if (units.units.size() > shown.size()) {
      list += " and " + std::to_string(units.units.size() - shown.size()) + " more";
    }
    ctx.output("failed_units", list);
    ctx.figure("failed_units", static_cast<double>(units.units.size()));
  }
  return units_phrase(units);
}

std::string report_log(sdk::Context& ctx, const DiagnosticsRequest& request) {
  if (request.log_file.empty()) {
    ctx.output("log", request.log_note);
    return "";
  }
  ctx.output("log_file", request.log_file);
  ctx.output("log_pattern", request.log_pattern_text);
  auto scan = scan_log(request.log_file, request.log_pattern, request.log_lines,
                       [&ctx] { return ctx.cancelled(); });
  if (!scan.error.empty()) {
    ctx.output("log_error", "cannot read " + request.log_file + ": " + scan.error);
    return log_phrase(request.log_file, scan);
  }
  ctx.output("log_scanned",
             scan.whole_file ? std::string("whole file") : "last " + human_bytes(kLogTailBytes));
  ctx.output("log_matched", scan.matches.matched);
  auto& lines = scan.matches.lines;
  size_t bytes = 0;
  for (const auto& line : lines) bytes += line.size() + 1;
  size_t dropped = 0;
  while (dropped < lines.size() && bytes > kMaxLogOutputBytes) bytes -= lines[dropped++].size() + 1;
  lines.erase(lines.begin(), lines.begin() + static_cast<std::ptrdiff_t>(dropped));
  ctx.output("log_lines", joined(lines, "\n"));
  ctx.figure("log_error_lines", static_cast<double>(scan.matches.matched));
  return log_phrase(request.log_file, scan);
}

}  // namespace tend::plugins::diagnostics
