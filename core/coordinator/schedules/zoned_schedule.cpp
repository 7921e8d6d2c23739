#include "core/coordinator/schedules/zoned_schedule.h"

namespace tend {

using namespace std::chrono;

Expected<ZonedSchedule> ZonedSchedule::parse(std::string_view cron, std::string_view zone) {
  auto parsed_cron = CronExpression::parse(cron);
  if (!parsed_cron) return make_error("cron: " + parsed_cron.error().message);
  auto parsed_zone = TimeZone::named(zone);
  if (!parsed_zone) return make_error("timezone: " + parsed_zone.error().message);
  return ZonedSchedule(std::move(*parsed_cron), std::move(*parsed_zone));
}

std::optional<SysSeconds> ZonedSchedule::next_after(SysSeconds t) const {
  // Local candidates from t's own local time on. A candidate that maps to
  // an instant not after t (the second pass of a repeated hour, t itself) is
  // passed over; every later one maps later, because local
  // time only ever runs back within a repeated hour, whose repeats we skip.
  auto from = zone_.to_local(t);
  for (int guard = 0; guard < 100000; ++guard) {
    auto candidate = cron_.next_at_or_after(from);
    if (!candidate) return std::nullopt;
    const SysSeconds at = zone_.to_sys(*candidate);
    if (at > t) return at;
    from = *candidate + seconds(1);
  }
  return std::nullopt;
}

std::optional<SysSeconds> ZonedSchedule::last_at_or_before(SysSeconds t) const {
  // Walk back in growing steps until a firing is found before t, then
  // forward to the last one not after t.
  for (auto back = hours(1); back <= days(366 * 8 + 2); back *= 2) {
    auto first = next_after(t - back);
    if (!first || *first > t) continue;
    SysSeconds last = *first;
    while (auto next = next_after(last)) {
      if (*next > t) break;
      last = *next;
    }
    return last;
  }
  return std::nullopt;
}

}  // namespace tend
