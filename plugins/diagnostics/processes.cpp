#include "plugins/diagnostics/processes.h"

#include <dirent.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

#include "core/host/proc_text.h"

namespace tend::plugins::diagnostics {
namespace {

template <typename T>
std::optional<T> whole_number(std::string_view text) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Fields of stat(5) after the name, counted from 3 (state).
constexpr size_t kUtime = 14, kStime = 15, kStartTime = 22, kRss = 24;

std::vector<ProcessUsage> top_by(std::vector<ProcessUsage> all, size_t n,
                                 bool (*before)(const ProcessUsage&, const ProcessUsage&)) {
  size_t keep = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(),
                    before);
  all.resize(keep);
  return all;
}

}  // namespace

std::optional<ProcessSample> parse_proc_stat(std::string_view text) {
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return std::nullopt;
  }
  auto head = host::split_fields(text.substr(0, open));
  auto pid = head.size() == 1 ? whole_number<int>(head[0]) : std::nullopt;
  auto rest = host::split_fields(text.substr(close + 1));
  // rest[0] is field 3 (state), so field k is rest[k - 3].
  if (!pid || rest.size() < kRss - 2) return std::nullopt;
  auto utime = whole_number<uint64_t>(rest[kUtime - 3]);
  auto stime = whole_number<uint64_t>(rest[kStime - 3]);
  auto start = whole_number<uint64_t>(rest[kStartTime - 3]);
  auto rss = whole_number<int64_t>(rest[kRss - 3]);
  if (!utime || !stime || !start || !rss) return std::nullopt;
  return ProcessSample{.pid = *pid,
                       .name = std::string(text.substr(open + 1, close - open - 1)),
                       .cpu_ticks = *utime + *stime,
                       .start_ticks = *start,
                       .rss_pages = static_cast<uint64_t>(std::max<int64_t>(*rss, 0))};
}

std::vector<ProcessSample> sample_processes(const std::string& proc_root) {
  std::vector<ProcessSample> samples;
  DIR* dir = opendir(proc_root.c_str());
  if (!dir) return samples;
  while (dirent* entry = readdir(dir)) {
    if (!whole_number<int>(entry->d_name)) continue;
    auto text = host::read_whole_file(proc_root + "/" + entry->d_name + "/stat");
    if (!text) continue;  // it exited meanwhile
    if (auto sample = parse_proc_stat(*text)) samples.push_back(std::move(*sample));
  }
  closedir(dir);
  return samples;
}

std::vector<ProcessUsage> usage_between(const std::vector<ProcessSample>& before,
                                        const std::vector<ProcessSample>& after, double seconds,
                                        long ticks_per_second, long page_size) {
  std::map<int, const ProcessSample*> earlier;
  for (const auto& sample : before) earlier[sample.pid] = &sample;
  std::vector<ProcessUsage> usage;
  for (const auto& now : after) {
    auto it = earlier.find(now.pid);
    if (it == earlier.end() || it->second->start_ticks != now.start_ticks) continue;
    uint64_t ticks =
        now.cpu_ticks >= it->second->cpu_ticks ? now.cpu_ticks - it->second->cpu_ticks : 0;
    double share =
        seconds > 0 && ticks_per_second > 0
            ? 100.0 * static_cast<double>(ticks) / (static_cast<double>(ticks_per_second) * seconds)
            : 0;
    usage.push_back({.pid = now.pid,
                     .name = now.name,
                     .rss_bytes = now.rss_pages * static_cast<uint64_t>(page_size),
                     .cpu_percent = share});
  }
  return usage;
}

std::vector<ProcessUsage> top_by_rss(std::vector<ProcessUsage> all, size_t n) {
  return top_by(std::move(all), n, [](const ProcessUsage& a, const ProcessUsage& b) {
    return a.rss_bytes != b.rss_bytes ? a.rss_bytes > b.rss_bytes : a.pid < b.pid;
  });
}

std::vector<ProcessUsage> top_by_cpu(std::vector<ProcessUsage> all, size_t n) {
  return top_by(std::move(all), n, [](const ProcessUsage& a, const ProcessUsage& b) {
    return a.cpu_percent != b.cpu_percent ? a.cpu_percent > b.cpu_percent : a.pid < b.pid;
  });
}

}  // namespace tend::plugins::diagnostics
