// A standard 5-field cron expression: minute hour day-of-month month
// day-of-week, as crontab(5) reads them: `*`, lists (1,15), ranges (1-5),
// steps (*/15, 0-30/10, 5/20), month and day names (jan, mon-fri), 0 or 7 for
// Sunday, and @hourly @daily @midnight @weekly @monthly @yearly @annually.
// When both day fields are restricted, a day matching either one matches
// (as cron does). It knows nothing of time zones: see ZonedSchedule.
//
// An extension: six fields put a seconds field first ("30 0 2 * * sun"),
// for windows that must start at a given second (tests; sub-minute jobs).
#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend {

class CronExpression {
 public:
  // Errors name the field and what is wrong, e.g. "cron field 'hour' (the
  // 2nd): 25 is outside 0-23".
  static Expected<CronExpression> parse(std::string_view text);

  const std::string& text() const { return text_; }

  bool matches(std::chrono::local_seconds t) const;

  // The first local second at or after `t` that matches (a whole minute for
  // five fields); nothing when there is none within the next eight years.
  std::optional<std::chrono::local_seconds> next_at_or_after(std::chrono::local_seconds t) const;

 private:
  bool day_matches(std::chrono::local_days day) const;

  std::string text_;
  std::bitset<60> seconds_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // 1-31
  std::bitset<13> months_;         // 1-12
  std::bitset<7> days_of_week_;    // 0 = Sunday
  bool dom_restricted_ = false;
  bool dow_restricted_ = false;
};

}  // namespace tend
