#include "core/tendctl/time_text.h"

#include <fmt/format.h>

#include <charconv>
#include <ctime>

#include "core/common/duration.h"

namespace tend::tendctl {

std::string elapsed_text(std::chrono::milliseconds elapsed) {
  const int64_t ms = elapsed.count();
  if (ms < 1000) return fmt::format("{}ms", ms);
  if (ms < 60'000) return fmt::format("{:.1f}s", ms / 1000.0);
  const int64_t s = ms / 1000;
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
}

std::string age_text(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 120) return fmt::format("{}s ago", seconds);
  if (seconds < 7200) return fmt::format("{}m ago", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{}h ago", seconds / 3600);
  return fmt::format("{}d ago", seconds / 86400);
}

std::string clock_text(int64_t unix_s) {
  std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm local{};
  if (localtime_r(&t, &local) == nullptr) return std::to_string(unix_s);
  char text[32];
  if (std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &local) == 0) {
    return std::to_string(unix_s);
  }
  return text;
}

Expected<std::chrono::milliseconds> parse_short_duration(std::string_view text) {
  if (text.ends_with("ms")) {
    std::string_view digits = text.substr(0, text.size() - 2);
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
    if (!digits.empty() && ec == std::errc() && end == digits.data() + digits.size() && ms >= 0) {
      return std::chrono::milliseconds(ms);
    }
  }
  auto seconds = parse_duration(text);
  if (!seconds) {
    return make_error(fmt::format(
        "'{}' is not a duration: use milliseconds or seconds, e.g. 500ms, 2s, 1m", text));
  }
  return std::chrono::milliseconds(*seconds);
}

}  // namespace tend::tendctl
