#include "core/tendctl/time_text.h"

#include <gtest/gtest.h>

#include "tests/core/tendctl/in_utc.h"

namespace tend::tendctl {
namespace {

using std::chrono::milliseconds;

TEST(ElapsedText, PreciseWhenShortReadableWhenLong) {
  EXPECT_EQ(elapsed_text(milliseconds(0)), "0ms");
  EXPECT_EQ(elapsed_text(milliseconds(999)), "999ms");
  EXPECT_EQ(elapsed_text(milliseconds(1000)), "1.0s");
  EXPECT_EQ(elapsed_text(milliseconds(4560)), "4.6s");
  EXPECT_EQ(elapsed_text(milliseconds(125'000)), "2m05s");
  EXPECT_EQ(elapsed_text(milliseconds(3'720'000)), "1h02m");
}

TEST(AgeText, SecondsMinutesHoursDays) {
  EXPECT_EQ(age_text(3), "3s ago");
  EXPECT_EQ(age_text(-2), "0s ago") << "a clock a little ahead";
  EXPECT_EQ(age_text(119), "119s ago");
  EXPECT_EQ(age_text(400), "6m ago");
  EXPECT_EQ(age_text(7200), "2h ago");
  EXPECT_EQ(age_text(3 * 86400), "3d ago");
}

TEST(ClockText, LocalDateAndTimeToTheSecond) {
  use_utc();
  EXPECT_EQ(clock_text(1'795'000'003), "2026-11-18 11:06:43");
  setenv("TZ", "CET-1", 1);
  tzset();
  EXPECT_EQ(clock_text(1'795'000'003), "2026-11-18 12:06:43") << "the operator's time zone";
  use_utc();
}

TEST(ShortDuration, MillisecondsOrAnyOperatorDuration) {
  EXPECT_EQ(*parse_short_duration("500ms"), milliseconds(500));
  EXPECT_EQ(*parse_short_duration("2s"), milliseconds(2000));
  EXPECT_EQ(*parse_short_duration("3"), milliseconds(3000));
  EXPECT_EQ(*parse_short_duration("1m"), milliseconds(60'000));
  EXPECT_EQ(parse_short_duration("fast").error().message,
            "'fast' is not a duration: use milliseconds or seconds, e.g. 500ms, 2s, 1m");
  EXPECT_FALSE(parse_short_duration("ms"));
  EXPECT_FALSE(parse_short_duration("-5ms"));
}

}  // namespace
}  // namespace tend::tendctl
