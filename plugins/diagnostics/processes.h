// The processes using the most memory and CPU, from /proc/<pid>/stat.
//
// Memory is the resident set (RSS). CPU is each process's share of one CPU
// over a short interval between two samples (as top shows it: a process
// busy on two cores reads 200%), not its lifetime average, which would
// rank a long-lived idle daemon above the process spinning right now.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tend::plugins::diagnostics {

// What one read of /proc/<pid>/stat says.
struct ProcessSample {
  int pid = 0;
  std::string name;          // comm: up to 15 characters, may hold spaces or ')'
  uint64_t cpu_ticks = 0;    // utime + stime, in clock ticks
  uint64_t start_ticks = 0;  // when it started: tells a reused pid apart
  uint64_t rss_pages = 0;
};

// nullopt when the text is not a stat line. The name sits in parentheses
// and may itself contain ") ", so the fields are counted from the last ')'.
std::optional<ProcessSample> parse_proc_stat(std::string_view text);

// Every process under `proc_root` ("/proc"); ones that exit while being read
// are left out.
std::vector<ProcessSample> sample_processes(const std::string& proc_root = "/proc");

struct ProcessUsage {
  int pid = 0;
  std::string name;
  uint64_t rss_bytes = 0;
  double cpu_percent = 0;  // of one CPU, over the interval
};

// Joins two samples `seconds` apart: CPU share from the tick difference, RSS
// from the later sample. A process seen only once (started or ended in
// between, or a pid reused) is left out.
std::vector<ProcessUsage> usage_between(const std::vector<ProcessSample>& before,
                                        const std::vector<ProcessSample>& after, double seconds,
                                        long ticks_per_second, long page_size);

// The first `n` by RSS, or by CPU share; ties go to the lower pid.
std::vector<ProcessUsage> top_by_rss(std::vector<ProcessUsage> all, size_t n);
std::vector<ProcessUsage> top_by_cpu(std::vector<ProcessUsage> all, size_t n);

}  // namespace tend::plugins::diagnostics
