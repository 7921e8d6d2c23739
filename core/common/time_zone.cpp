#include "core/common/time_zone.h"

#include <date/tz.h>
#include <fmt/format.h>

namespace tend {
namespace {

const date::time_zone* zone_of(const void* zone) {
  return static_cast<const date::time_zone*>(zone);
}

date::local_seconds to_date_local(LocalSeconds local) {
  return date::local_seconds(local.time_since_epoch());
}

}  // namespace

Expected<TimeZone> TimeZone::named(std::string_view name) {
  if (name.empty())
    return make_error("time zone is empty: give an IANA name such as Europe/Berlin or UTC");
  try {
    const date::time_zone* zone = date::locate_zone(name);
    return TimeZone(zone, std::string(name));
  } catch (const std::exception&) {
    return make_error(fmt::format(
        "unknown time zone '{}': give an IANA name such as Europe/Berlin, America/New_York or "
        "UTC (see /usr/share/zoneinfo)",
        name));
  }
}

TimeZone TimeZone::utc() { return *named("UTC"); }

TimeZone TimeZone::local() {
  try {
    const date::time_zone* zone = date::current_zone();
    return TimeZone(zone, std::string(zone->name()));
  } catch (const std::exception&) {
    return utc();
  }
}

LocalSeconds TimeZone::to_local(SysSeconds t) const {
  auto local = zone_of(zone_)->to_local(t);
  return LocalSeconds(local.time_since_epoch());
}

TimeZone::Kind TimeZone::kind(LocalSeconds local) const {
  switch (zone_of(zone_)->get_info(to_date_local(local)).result) {
    case date::local_info::nonexistent:
      return Kind::kSkipped;
    case date::local_info::ambiguous:
      return Kind::kRepeated;
    default:
      return Kind::kUnique;
  }
}

SysSeconds TimeZone::to_sys(LocalSeconds local) const {
  const auto info = zone_of(zone_)->get_info(to_date_local(local));
  switch (info.result) {
    case date::local_info::nonexistent:
      // The gap starts where the earlier offset's rule ends: that instant is
      // the first one after the skipped local times.
      return info.first.end;
    case date::local_info::ambiguous:
      return SysSeconds(local.time_since_epoch() - info.first.offset);
    default:
      return SysSeconds(local.time_since_epoch() - info.first.offset);
  }
}

std::string TimeZone::abbreviation(SysSeconds t) const {
  return zone_of(zone_)->get_info(t).abbrev;
}

std::string format_local(SysSeconds t, const TimeZone& zone) {
  const auto local = zone.to_local(t);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} {}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), zone.abbreviation(t));
}

}  // namespace tend
