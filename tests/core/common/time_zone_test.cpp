#include "core/common/time_zone.h"

#include <gtest/gtest.h>

#include "tests/support/utc_time.h"

namespace tend {
namespace {

using testing::local;
using testing::utc;

TEST(TimeZone, AnUnknownNameIsAnErrorThatSaysWhatToGive) {
  auto zone = TimeZone::named("Europe/Berlinn");
  ASSERT_FALSE(zone);
  EXPECT_NE(zone.error().message.find("unknown time zone 'Europe/Berlinn'"), std::string::npos);
  EXPECT_NE(zone.error().message.find("IANA"), std::string::npos);
  EXPECT_FALSE(TimeZone::named(""));
}

TEST(TimeZone, ASkippedLocalTimeMeansTheFirstInstantAfterTheGap) {
  auto berlin = *TimeZone::named("Europe/Berlin");
  EXPECT_EQ(berlin.kind(local("2026-03-29 02:30")), TimeZone::Kind::kSkipped);
  EXPECT_EQ(berlin.to_sys(local("2026-03-29 02:30")), utc("2026-03-29 01:00"));
  EXPECT_EQ(berlin.to_sys(local("2026-03-29 02:00")), utc("2026-03-29 01:00"));
  EXPECT_EQ(berlin.to_sys(local("2026-03-29 03:00")), utc("2026-03-29 01:00"));
}

TEST(TimeZone, ARepeatedLocalTimeMeansItsFirstOccurrence) {
  auto berlin = *TimeZone::named("Europe/Berlin");
  EXPECT_EQ(berlin.kind(local("2026-10-25 02:30")), TimeZone::Kind::kRepeated);
  EXPECT_EQ(berlin.to_sys(local("2026-10-25 02:30")), utc("2026-10-25 00:30"));
  EXPECT_EQ(berlin.kind(local("2026-10-25 03:30")), TimeZone::Kind::kUnique);
}

TEST(TimeZone, LocalTimeAndItsAbbreviationFollowTheSeason) {
  auto berlin = *TimeZone::named("Europe/Berlin");
  EXPECT_EQ(berlin.to_local(utc("2026-01-15 12:00")), local("2026-01-15 13:00"));
  EXPECT_EQ(berlin.to_local(utc("2026-07-15 12:00")), local("2026-07-15 14:00"));
  EXPECT_EQ(format_local(utc("2026-07-15 12:00"), berlin), "2026-07-15 14:00 CEST");
  EXPECT_EQ(format_local(utc("2026-01-15 12:00"), berlin), "2026-01-15 13:00 CET");
}

}  // namespace
}  // namespace tend
