// An IANA time zone (Europe/Berlin) from the system's tzdata, and the two
// rules tend applies when a local time does not name exactly one instant:
//
// - a local time that does not exist (skipped when clocks spring forward,
//   e.g. 02:30 on the last Sunday of March in Berlin) means the first valid
//   instant after the gap: the moment of the change (03:00 local);
// - a local time that exists twice (the hour repeated when clocks fall back)
//   means its first occurrence only.
//
// So a job at 02:30 runs once on both nights: never zero times, never twice.
// Built on Howard Hinnant's date/tz (Debian's libhowardhinnant-date-dev, the
// library C++20's <chrono> time zones come from; GCC 12 does not ship them).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend {

using SysSeconds = std::chrono::sys_seconds;
using LocalSeconds = std::chrono::local_seconds;

class TimeZone {
 public:
  // "Europe/Berlin", "UTC", "America/New_York". An unknown name is an error
  // that says what is expected.
  static Expected<TimeZone> named(std::string_view name);
  static TimeZone utc();
  // The machine's own zone (TZ, else /etc/localtime); UTC when it cannot tell.
  static TimeZone local();

  const std::string& name() const { return name_; }

  // The wall-clock time here at instant `t`.
  LocalSeconds to_local(SysSeconds t) const;

  // The instant a local time means, by the rules above.
  SysSeconds to_sys(LocalSeconds local) const;

  // What kind of local time it is.
  enum class Kind { kUnique, kSkipped, kRepeated };
  Kind kind(LocalSeconds local) const;

  // "CET", "CEST": the abbreviation in force at `t`, for messages.
  std::string abbreviation(SysSeconds t) const;

 private:
  TimeZone(const void* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const void* zone_;  // a date::time_zone from the process-wide database
  std::string name_;
};

// "2026-03-29 03:00 CEST" for reports and tendctl.
std::string format_local(SysSeconds t, const TimeZone& zone);

}  // namespace tend
