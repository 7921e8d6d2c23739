#include "plugins/diagnostics/report_text.h"

#include <algorithm>
#include <cstdio>

namespace tend::plugins::diagnostics {
namespace {

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string plural(size_t count, const std::string& one, const std::string& many) {
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

std::string human_bytes(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return fixed(value, 1) + " " + kUnits[unit];
}

std::string process_line(const ProcessUsage& process) {
  return std::to_string(process.pid) + " " + process.name + ": " + human_bytes(process.rss_bytes) +
         " RSS, " + fixed(process.cpu_percent, 1) + "% CPU";
}

std::string disk_phrase(const std::vector<host::MountUsage>& mounts, bool disk, bool inodes) {
  if (mounts.empty()) return "no filesystems to check";
  auto by_disk = std::max_element(mounts.begin(), mounts.end(), [](const auto& a, const auto& b) {
    return a.disk_percent < b.disk_percent;
  });
  auto by_inodes = std::max_element(mounts.begin(), mounts.end(), [](const auto& a, const auto& b) {
    return a.inode_percent < b.inode_percent;
  });
  auto inode_text = [](const host::MountUsage& m) {
    return m.inode_percent < 0 ? std::string("n/a") : std::to_string(m.inode_percent) + "%";
  };
  if (!disk) return "inodes " + by_inodes->mount_point + " " + inode_text(*by_inodes);
  std::string phrase =
      "disk " + by_disk->mount_point + " " + std::to_string(by_disk->disk_percent) + "%";
  if (!inodes) return phrase;
  phrase += " (inodes " + inode_text(*by_disk) + ")";
  if (by_inodes != by_disk && by_inodes->inode_percent > by_disk->inode_percent) {
    phrase += ", inodes " + by_inodes->mount_point + " " + inode_text(*by_inodes);
  }
  return phrase;
}

std::string memory_phrase(const host::MemInfo& memory) {
  std::string phrase = "mem " + std::to_string(memory.used_percent()) + "% used";
  if (memory.swap_used_bytes() > 0) phrase += ", swap " + human_bytes(memory.swap_used_bytes());
  return phrase;
}

std::string load_phrase(const host::LoadAverage& load, long cpus) {
  return "load " + fixed(load.one, 2) + " (" + plural(static_cast<size_t>(cpus), "CPU", "CPUs") +
         ")";
}

std::string process_phrase(const std::vector<ProcessUsage>& by_rss) {
  if (by_rss.empty()) return "no processes seen";
  return "largest " + by_rss.front().name + " " + human_bytes(by_rss.front().rss_bytes);
}

std::string units_phrase(const FailedUnits& units) {
  if (!units.systemd_running) return "systemd not running";
  if (!units.error.empty()) return "failed units unknown";
  if (units.units.empty()) return "no failed units";
  return plural(units.units.size(), "failed unit", "failed units");
}

std::string log_phrase(const std::string& path, const LogScan& scan) {
  if (!scan.error.empty()) return "cannot read " + path;
  std::string where = scan.whole_file
                          ? " in " + path
                          : " in the last " + human_bytes(kLogTailBytes) + " of " + path;
  if (scan.matches.matched == 0) return "no error lines" + where;
  return plural(scan.matches.matched, "error line", "error lines") + where;
}

}  // namespace tend::plugins::diagnostics
