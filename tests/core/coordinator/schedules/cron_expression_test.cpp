#include "core/coordinator/schedules/cron_expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/utc_time.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::local;

std::string error_of(const char* text) {
  auto cron = CronExpression::parse(text);
  return cron ? "(parsed)" : cron.error().message;
}

TEST(CronExpression, MistakesAreRefusedNamingTheField) {
  EXPECT_THAT(error_of("0 25 * * *"), HasSubstr("cron field 'hour' (the 2nd): 25 is outside 0-23"));
  EXPECT_THAT(error_of("61 * * * *"), HasSubstr("'minute'"));
  EXPECT_THAT(error_of("0 0 0 * *"), HasSubstr("'day of month' (the 3rd): 0 is outside 1-31"));
  EXPECT_THAT(error_of("0 0 * foo *"),
              HasSubstr("'month' (the 4th): 'foo' is not a number or a name"));
  EXPECT_THAT(error_of("0 0 * * 8"), HasSubstr("'day of week' (the 5th): 8 is outside 0-7"));
  EXPECT_THAT(error_of("*/0 * * * *"), HasSubstr("step '0'"));
  EXPECT_THAT(error_of("0 5-1 * * *"), HasSubstr("runs backwards"));
  EXPECT_THAT(error_of("0 2 * *"), HasSubstr("has 4 field(s); cron needs 5"));
  EXPECT_THAT(error_of("@fortnightly"), HasSubstr("not a cron macro"));
  EXPECT_THAT(error_of("0 0 30 2 *"), HasSubstr("never fires"));
}

TEST(CronExpression, ListsRangesStepsAndNamesMatchAsCrontabReadsThem) {
  auto cron = *CronExpression::parse("0,30 9-17/4 * JAN-mar mon-fri");
  EXPECT_TRUE(cron.matches(local("2026-01-05 09:30")));   // a Monday
  EXPECT_TRUE(cron.matches(local("2026-03-06 17:00")));   // a Friday
  EXPECT_FALSE(cron.matches(local("2026-01-05 11:00")));  // 9, 13, 17 only
  EXPECT_FALSE(cron.matches(local("2026-01-04 09:00")));  // a Sunday
  EXPECT_FALSE(cron.matches(local("2026-04-06 09:00")));  // April
  EXPECT_TRUE(CronExpression::parse("0 0 * * 7")->matches(local("2026-11-22 00:00")));  // Sunday
  EXPECT_TRUE(CronExpression::parse("5/20 * * * *")->matches(local("2026-11-22 00:45")));
}

TEST(CronExpression, BothDayFieldsRestrictedMeansEitherDay) {
  auto cron = *CronExpression::parse("0 12 13 * fri");
  EXPECT_EQ(*cron.next_at_or_after(local("2026-11-01 00:00")), local("2026-11-06 12:00"));
  EXPECT_EQ(*cron.next_at_or_after(local("2026-11-07 00:00")), local("2026-11-13 12:00"));
}

TEST(CronExpression, SixFieldsPutSecondsFirst) {
  auto cron = *CronExpression::parse("15,45 30 2 * * *");
  EXPECT_EQ(*cron.next_at_or_after(local("2026-11-20 02:30:16")), local("2026-11-20 02:30:45"));
  EXPECT_EQ(*cron.next_at_or_after(local("2026-11-20 02:30:46")), local("2026-11-21 02:30:15"));
  EXPECT_THAT(error_of("60 * * * * *"), HasSubstr("'second' (the 1st of 6): 60 is outside 0-59"));
}

TEST(CronExpression, MacrosAreTheirFiveFieldForms) {
  EXPECT_EQ(*CronExpression::parse("@weekly")->next_at_or_after(local("2026-11-20 10:00")),
            local("2026-11-22 00:00"));
  EXPECT_EQ(*CronExpression::parse("@yearly")->next_at_or_after(local("2026-11-20 10:00")),
            local("2027-01-01 00:00"));
}

TEST(CronExpression, TheNextMatchRoundsUpToAWholeMinuteAndFindsRareDates) {
  auto every_minute = *CronExpression::parse("* * * * *");
  EXPECT_EQ(*every_minute.next_at_or_after(local("2026-11-20 10:00:01")),
            local("2026-11-20 10:01"));
  EXPECT_EQ(*every_minute.next_at_or_after(local("2026-11-20 10:00")), local("2026-11-20 10:00"));
  EXPECT_EQ(*CronExpression::parse("0 0 29 2 *")->next_at_or_after(local("2026-01-01 00:00")),
            local("2028-02-29 00:00"));
}

}  // namespace
}  // namespace tend
