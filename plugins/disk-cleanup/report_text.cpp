#include "plugins/disk-cleanup/report_text.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace tend::disk_cleanup {

std::string format_bytes(int64_t bytes) {
  static constexpr std::array<const char*, 6> kUnits = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  const char* sign = bytes < 0 ? "-" : "";
  uint64_t magnitude = bytes < 0 ? 0 - static_cast<uint64_t>(bytes) : static_cast<uint64_t>(bytes);
  if (magnitude < 1024) return sign + std::to_string(magnitude) + " B";
  double value = static_cast<double>(magnitude) / 1024;
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%s%.1f %s", sign, value, kUnits[unit]);
  return text;
}

std::string format_count(uint64_t count) {
  std::string digits = std::to_string(count);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_percent(double percent) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", percent);
  return text;
}

std::string format_duration(int64_t seconds) {
  struct Unit {
    int64_t seconds;
    const char* suffix;
  };
  static constexpr std::array<Unit, 3> kUnits = {{{86400, "d"}, {3600, "h"}, {60, "m"}}};
  for (const Unit& unit : kUnits) {
    if (seconds >= unit.seconds && seconds % unit.seconds == 0) {
      return std::to_string(seconds / unit.seconds) + unit.suffix;
    }
  }
  return std::to_string(seconds) + "s";
}

std::string count_of(uint64_t count, const std::string& singular, const std::string& plural) {
  return format_count(count) + " " + (count == 1 ? singular : plural);
}

}  // namespace tend::disk_cleanup
