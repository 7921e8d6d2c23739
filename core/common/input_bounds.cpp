#include "core/common/input_bounds.h"

#include <fmt/format.h>

namespace tend {

Expected<void> check_bytes(std::string_view what, size_t bytes, size_t limit) {
  if (bytes <= limit) return {};
  return make_error(fmt::format("{} is {} bytes; the limit is {}", what, bytes, limit));
}

Expected<void> check_items(std::string_view what, size_t items, size_t limit) {
  if (items <= limit) return {};
  return make_error(fmt::format("{} has {} items; the limit is {}", what, items, limit));
}

Expected<void> check_range(std::string_view what, int64_t value, int64_t min, int64_t max,
                           std::string_view unit) {
  if (value >= min && value <= max) return {};
  return make_error(fmt::format("{} {} is out of range: use {} to {}{}{}", what, value, min, max,
                                unit.empty() ? "" : " ", unit));
}

Expected<void> check_room(std::string_view who, size_t count, std::string_view held, size_t limit) {
  if (count < limit) return {};
  return make_error(fmt::format("{} busy: {} {}; the limit is {}", who, count, held, limit));
}

}  // namespace tend
