#include "core/common/duration.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>

namespace tend {

Expected<std::chrono::seconds> parse_duration(std::string_view text) {
  auto bad = [&] {
    return make_error(fmt::format(
        "'{}' is not a duration: use a number of seconds or e.g. 90s, 5m, 2h, 7d, 1w", text));
  };
  if (text.empty()) return bad();
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) return bad();
  std::string_view unit(end, text.data() + text.size() - end);
  int64_t scale = 0;
  if (unit.empty() || unit == "s")
    scale = 1;
  else if (unit == "m")
    scale = 60;
  else if (unit == "h")
    scale = 3600;
  else if (unit == "d")
    scale = 86400;
  else if (unit == "w")
    scale = 7 * 86400;
  else
    return bad();
  if (number > INT64_MAX / scale) return bad();
  return std::chrono::seconds(number * scale);
}

}  // namespace tend
