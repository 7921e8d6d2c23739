#include "core/coordinator/reports/digest_timing.h"

#include <fmt/format.h>

namespace tend {
namespace {

using std::chrono::days;
using std::chrono::floor;

// Local midnight of the day `local` falls on, plus `at`, as an instant.
std::chrono::sys_seconds fire_on(LocalSeconds local_day_start, const TimeZone& zone,
                                 std::chrono::minutes at) {
  return zone.to_sys(local_day_start + at);
}

std::string day_text(LocalSeconds local_day_start) {
  const std::chrono::year_month_day ymd{floor<days>(local_day_start)};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

}  // namespace

std::optional<DigestDue> digest_due(std::chrono::sys_seconds now, const TimeZone& zone,
                                    std::chrono::minutes at,
                                    const std::optional<std::string>& last_day) {
  const LocalSeconds today = floor<days>(zone.to_local(now));
  const auto fire = fire_on(today, zone, at);
  if (now < fire || now - fire > kDigestLateAtMost) return std::nullopt;
  std::string day = day_text(today);
  if (last_day && *last_day == day) return std::nullopt;
  return DigestDue{std::move(day), fire};
}

std::chrono::sys_seconds next_digest_time(std::chrono::sys_seconds now, const TimeZone& zone,
                                          std::chrono::minutes at) {
  LocalSeconds day = floor<days>(zone.to_local(now));
  for (int i = 0; i < 3; ++i, day += days(1)) {
    auto fire = fire_on(day, zone, at);
    if (fire > now) return fire;
  }
  return now + std::chrono::hours(24);
}

}  // namespace tend
