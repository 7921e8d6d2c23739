// Any cron expression in any time zone name, from any instant (a maintenance
// schedule's `cron` and `timezone`, as schedules.toml, tendctl or NATS give
// them). Input: the expression, a newline, the zone, a newline, the instant
// in seconds since the epoch (folded into the years 1900-2500).
//
// - parsing either gives an expression or says what is wrong, and the same
//   for the zone;
// - an expression that parses fires: its next firing is at or after the
//   instant, matches, and no second of the ten minutes before it (from the
//   instant on) does;
// - a zone keeps time_zone.h's rules: a local time that exists once maps to
//   its instant and back, the first occurrence of a repeated one is taken,
//   and a skipped one moves to the instant the gap ends;
// - in a zone, a schedule's next firing is strictly after the instant and is
//   the last firing at or before itself.
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/common/time_zone.h"
#include "core/coordinator/schedules/cron_expression.h"
#include "core/coordinator/schedules/zoned_schedule.h"
#include "tests/fuzz/support/fuzz_check.h"

namespace tend::fuzz {
namespace {

using std::chrono::seconds;

constexpr int64_t kYear1900 = -2208988800;
constexpr int64_t kYear2500 = 16725225600;

std::string_view next_line(std::string_view& rest) {
  auto end = rest.find('\n');
  auto line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

SysSeconds instant(std::string_view text) {
  int64_t value = 1795428000;  // 2026-11-23 10:00 UTC when the text is no number
  std::from_chars(text.data(), text.data() + text.size(), value);
  if (value < kYear1900 || value >= kYear2500) {
    const auto span = static_cast<uint64_t>(kYear2500 - kYear1900);
    value = kYear1900 + static_cast<int64_t>(static_cast<uint64_t>(value) % span);
  }
  return SysSeconds(seconds(value));
}

void check_cron(const CronExpression& cron, LocalSeconds from) {
  auto next = cron.next_at_or_after(from);
  require(next.has_value(), "an expression that parses fires");
  require(*next >= from && cron.matches(*next), "the next firing is at or after, and matches");
  for (auto t = std::max(from, *next - seconds(600)); t < *next; t += seconds(1)) {
    require(!cron.matches(t), "no second before the next firing matches");
  }
}

void check_zone(const TimeZone& zone, SysSeconds t) {
  const LocalSeconds local = zone.to_local(t);
  switch (zone.kind(local)) {
    case TimeZone::Kind::kUnique:
      require(zone.to_sys(local) == t, "a local time that exists once maps back to its instant");
      break;
    case TimeZone::Kind::kRepeated:
      require(zone.to_sys(local) <= t, "a repeated local time means its first occurrence");
      break;
    case TimeZone::Kind::kSkipped:
      broken("an instant's own local time exists");
  }
  // The same instant's digits read as a local time, which may fall in a gap.
  const LocalSeconds digits(t.time_since_epoch());
  const SysSeconds meant = zone.to_sys(digits);
  if (zone.kind(digits) == TimeZone::Kind::kSkipped) {
    require(zone.to_local(meant) > digits, "a skipped local time moves to the end of the gap");
  } else {
    require(zone.to_local(meant) == digits, "an existing local time maps to it and back");
  }
  (void)format_local(t, zone);
}

void check_schedule(const ZonedSchedule& schedule, SysSeconds t) {
  auto next = schedule.next_after(t);
  require(next.has_value() && *next > t, "a schedule fires strictly after the instant");
  require(schedule.last_at_or_before(*next) == next, "the next firing is the last at itself");
}

}  // namespace
}  // namespace tend::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend;
  using namespace tend::fuzz;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view cron_text = next_line(rest);
  const std::string_view zone_name = next_line(rest);
  const SysSeconds t = instant(next_line(rest));

  auto cron = CronExpression::parse(cron_text);
  if (cron) check_cron(*cron, LocalSeconds(t.time_since_epoch()));
  auto zone = TimeZone::named(zone_name);
  if (zone) check_zone(*zone, t);
  if (cron && zone) check_schedule(ZonedSchedule(*cron, *zone), t);
  return 0;
}
