#include "core/common/host_count.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace tend {

Expected<HostCount> HostCount::parse(std::string_view text) {
  HostCount count;
  std::string_view number = text;
  if (number.ends_with('%')) {
    count.percent = true;
    number.remove_suffix(1);
  }
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), count.value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() ||
      count.value == 0 || (count.percent && count.value > 100)) {
    return make_error(fmt::format(
        "'{}' is neither a number of hosts (e.g. 5) nor a share of them (e.g. 10%, at most 100%)",
        text));
  }
  return count;
}

size_t HostCount::of(size_t total) const {
  if (!percent) return std::min<size_t>(value, total);
  return std::min<size_t>((total * value + 99) / 100, total);
}

std::string HostCount::text() const { return fmt::format("{}{}", value, percent ? "%" : ""); }

}  // namespace tend
