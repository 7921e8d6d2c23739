// Which windows of a schedule need handling now: every window that opened
// after `from` and by `now`. One still open is to be run (a coordinator that
// was down at 02:00 and is back at 03:00 runs the 02:00 window if it lasts
// past 03:00); one already closed is to be recorded as missed. Pure: the
// scheduler passes the clock's time in.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/coordinator/schedules/zoned_schedule.h"

namespace tend {

struct DueWindow {
  SysSeconds start;
  SysSeconds end;
  bool open = false;  // end is still ahead: run it
};

struct WindowsDue {
  std::vector<DueWindow> windows;  // oldest first; at most `max_missed` closed ones
  size_t missed_beyond = 0;        // closed windows left out of `windows`
  std::optional<SysSeconds> next;  // when the next window opens
};

// Windows opening in (from, now]; the newest `max_missed` of the closed ones.
WindowsDue windows_due(const ZonedSchedule& schedule, std::chrono::seconds window, SysSeconds from,
                       SysSeconds now, size_t max_missed = 20);

}  // namespace tend
