#include "core/common/byte_size.h"

#include <fmt/format.h>

#include <charconv>

namespace tend {

Expected<uint64_t> parse_byte_size(std::string_view text) {
  auto bad = [&] {
    return make_error(
        fmt::format("'{}' is not a size: use a number of bytes or e.g. 500MB, 2GiB, 10K", text));
  };
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || ec != std::errc()) return bad();
  std::string_view unit(end, text.data() + text.size() - end);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  struct Unit {
    std::string_view name;
    uint64_t scale;
  };
  static constexpr Unit kUnits[] = {
      {"", 1},
      {"B", 1},
      {"K", 1ULL << 10},
      {"KiB", 1ULL << 10},
      {"KB", 1000ULL},
      {"M", 1ULL << 20},
      {"MiB", 1ULL << 20},
      {"MB", 1000ULL * 1000},
      {"G", 1ULL << 30},
      {"GiB", 1ULL << 30},
      {"GB", 1000ULL * 1000 * 1000},
      {"T", 1ULL << 40},
      {"TiB", 1ULL << 40},
      {"TB", 1000ULL * 1000 * 1000 * 1000},
  };
  for (const auto& u : kUnits) {
    if (unit == u.name) {
      if (number > UINT64_MAX / u.scale) return bad();
      return number * u.scale;
    }
  }
  return bad();
}

std::string format_byte_size(uint64_t bytes) {
  static constexpr const char* kNames[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t i = 0;
  while (value >= 1024 && i + 1 < std::size(kNames)) {
    value /= 1024;
    ++i;
  }
  if (i == 0) return fmt::format("{} B", bytes);
  return fmt::format("{:.1f} {}", value, kNames[i]);
}

}  // namespace tend
