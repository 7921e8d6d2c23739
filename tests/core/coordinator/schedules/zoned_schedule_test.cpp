// The next firing of a cron expression in a time zone, against a table of
// instants worked out by hand (and checked with Python's zoneinfo): plain
// weeks, both DST changes in both hemispheres, a half-hour DST zone, a zone
// without DST. No clock: every case gives the instant to start from.
#include "core/coordinator/schedules/zoned_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "tests/support/utc_time.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::utc;

struct KnownFiring {
  const char* what;
  const char* cron;
  const char* zone;
  const char* after;  // UTC
  const char* next;   // UTC
};

const KnownFiring kTable[] = {
    {"Sunday 02:00 in Berlin winter", "0 2 * * sun", "Europe/Berlin", "2026-11-20 00:00",
     "2026-11-22 01:00"},
    {"Sunday 02:00 in Berlin summer", "0 2 * * sun", "Europe/Berlin", "2026-07-01 00:00",
     "2026-07-05 00:00"},
    {"spring forward: 02:30 does not exist, runs at 03:00 CEST", "30 2 * * *", "Europe/Berlin",
     "2026-03-28 12:00", "2026-03-29 01:00"},
    {"spring forward: and once only, next at 02:30 the day after", "30 2 * * *", "Europe/Berlin",
     "2026-03-29 01:00", "2026-03-30 00:30"},
    {"spring forward: four matches in the gap fire once", "*/15 2 * * *", "Europe/Berlin",
     "2026-03-29 00:00", "2026-03-29 01:00"},
    {"spring forward: ...and not again after the gap", "*/15 2 * * *", "Europe/Berlin",
     "2026-03-29 01:00", "2026-03-30 00:00"},
    {"spring forward: 03:00 itself is the same instant", "0 3 * * *", "Europe/Berlin",
     "2026-03-28 12:00", "2026-03-29 01:00"},
    {"fall back: 02:30 runs at its first occurrence, CEST", "30 2 * * *", "Europe/Berlin",
     "2026-10-24 12:00", "2026-10-25 00:30"},
    {"fall back: never twice, next is the day after", "30 2 * * *", "Europe/Berlin",
     "2026-10-25 00:30", "2026-10-26 01:30"},
    {"fall back: from inside the repeated hour, the repeat is skipped", "30 2 * * *",
     "Europe/Berlin", "2026-10-25 01:10", "2026-10-26 01:30"},
    {"fall back: hourly skips the repeated 02:00", "0 * * * *", "Europe/Berlin", "2026-10-25 00:30",
     "2026-10-25 02:00"},
    {"New York spring forward at 02:00", "30 2 * * *", "America/New_York", "2026-03-07 12:00",
     "2026-03-08 07:00"},
    {"New York fall back: 01:30 EDT first", "30 1 * * *", "America/New_York", "2026-10-31 12:00",
     "2026-11-01 05:30"},
    {"New York fall back: not 01:30 EST the same night", "30 1 * * *", "America/New_York",
     "2026-11-01 05:30", "2026-11-02 06:30"},
    {"Sydney autumn (April): repeated 02:30 first occurrence, AEDT", "30 2 * * *",
     "Australia/Sydney", "2026-04-04 00:00", "2026-04-04 15:30"},
    {"Lord Howe's half-hour gap: 02:15 runs at 02:30", "15 2 * * *", "Australia/Lord_Howe",
     "2026-10-03 00:00", "2026-10-03 15:30"},
    {"Kolkata has no DST: weekdays 09:00 IST", "0 9 * * mon-fri", "Asia/Kolkata",
     "2026-11-20 04:00", "2026-11-23 03:30"},
    {"UTC leap day", "0 0 29 2 *", "UTC", "2026-01-01 00:00", "2028-02-29 00:00"},
    {"the minute already begun is not a firing", "* * * * *", "UTC", "2026-11-20 10:00:01",
     "2026-11-20 10:01"},
};

TEST(ZonedSchedule, KnownNextFiringsIncludingDaylightSavingChanges) {
  for (const auto& row : kTable) {
    auto schedule = ZonedSchedule::parse(row.cron, row.zone);
    ASSERT_TRUE(schedule) << row.what << ": " << schedule.error().message;
    auto next = schedule->next_after(utc(row.after));
    ASSERT_TRUE(next) << row.what;
    EXPECT_EQ(*next, utc(row.next))
        << row.what << " (" << row.cron << " in " << row.zone << " after " << row.after << " UTC)";
  }
}

// Walking a whole year of a daily 02:30 job in Berlin: 365 firings, one per
// local day, none missing on the spring night and none doubled in autumn.
TEST(ZonedSchedule, ADailyJobFiresOncePerLocalDayThroughAWholeYear) {
  auto schedule = *ZonedSchedule::parse("30 2 * * *", "Europe/Berlin");
  auto t = utc("2025-12-31 12:00");
  int firings = 0;
  std::set<std::chrono::local_days> days;
  while (true) {
    t = *schedule.next_after(t);
    if (t >= utc("2026-12-31 12:00")) break;
    ++firings;
    days.insert(std::chrono::floor<std::chrono::days>(schedule.zone().to_local(t)));
  }
  EXPECT_EQ(firings, 365);
  EXPECT_EQ(days.size(), 365u);
}

TEST(ZonedSchedule, TheLastFiringAtOrBeforeAnInstant) {
  auto schedule = *ZonedSchedule::parse("0 2 * * sun", "Europe/Berlin");
  EXPECT_EQ(*schedule.last_at_or_before(utc("2026-11-22 01:00")), utc("2026-11-22 01:00"));
  EXPECT_EQ(*schedule.last_at_or_before(utc("2026-11-22 00:59")), utc("2026-11-15 01:00"));
}

TEST(ZonedSchedule, ErrorsNameTheField) {
  EXPECT_THAT(ZonedSchedule::parse("0 2 * * sun", "Mars/Olympus").error().message,
              HasSubstr("timezone: unknown time zone 'Mars/Olympus'"));
  EXPECT_THAT(ZonedSchedule::parse("0 2 * * funday", "UTC").error().message,
              HasSubstr("cron: cron field 'day of week'"));
}

}  // namespace
}  // namespace tend
