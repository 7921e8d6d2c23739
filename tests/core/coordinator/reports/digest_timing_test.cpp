// When the morning digest goes out: at the local time of day, once a day,
// late on a day the coordinator was down at that moment, never the next
// evening; across daylight-saving changes by the zone's own clock.
#include "core/coordinator/reports/digest_timing.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

constexpr minutes k0800 = 8h;

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm) {
  return sys_days(year{y} / month{m} / day{d}) + hours(hh) + minutes(mm);
}

TimeZone berlin() { return *TimeZone::named("Europe/Berlin"); }

TEST(DigestTiming, IsDueFromTheLocalTimeOfDayOnwardOncePerDay) {
  // 08:00 in Berlin in November is 07:00 UTC.
  EXPECT_FALSE(digest_due(utc(2026, 11, 23, 6, 59), berlin(), k0800, std::nullopt));
  auto due = digest_due(utc(2026, 11, 23, 7, 0), berlin(), k0800, std::nullopt);
  ASSERT_TRUE(due);
  EXPECT_EQ(due->day, "2026-11-23");
  EXPECT_EQ(due->fire_at, utc(2026, 11, 23, 7, 0));
  EXPECT_FALSE(digest_due(utc(2026, 11, 23, 7, 30), berlin(), k0800, "2026-11-23"))
      << "already sent today";
}

TEST(DigestTiming, AnOutageAtDigestTimeSendsItLateThatDayButNotTheNextEvening) {
  EXPECT_TRUE(digest_due(utc(2026, 11, 23, 18, 59), berlin(), k0800, "2026-11-22"));
  EXPECT_FALSE(digest_due(utc(2026, 11, 23, 19, 1), berlin(), k0800, "2026-11-22"));
}

TEST(DigestTiming, FollowsTheZonesClockAcrossDaylightSavingChanges) {
  // 29 March 2026: Berlin moves to CEST, so 08:00 local is 06:00 UTC.
  auto due = digest_due(utc(2026, 3, 29, 6, 0), berlin(), k0800, "2026-03-28");
  ASSERT_TRUE(due);
  EXPECT_EQ(due->day, "2026-03-29");
  EXPECT_EQ(next_digest_time(utc(2026, 3, 28, 7, 30), berlin(), k0800), utc(2026, 3, 29, 6, 0));
}

TEST(DigestTiming, TheNextTimeIsTodayUntilItPassesThenTomorrow) {
  auto utc_zone = TimeZone::utc();
  EXPECT_EQ(next_digest_time(utc(2026, 11, 23, 7, 59), utc_zone, k0800), utc(2026, 11, 23, 8, 0));
  EXPECT_EQ(next_digest_time(utc(2026, 11, 23, 8, 0), utc_zone, k0800), utc(2026, 11, 24, 8, 0));
}

}  // namespace
}  // namespace tend
