#include "core/coordinator/schedules/window_firing.h"

#include <deque>

namespace tend {

WindowsDue windows_due(const ZonedSchedule& schedule, std::chrono::seconds window, SysSeconds from,
                       SysSeconds now, size_t max_missed) {
  WindowsDue due;
  std::deque<DueWindow> closed;
  // A coordinator down for months must not walk a per-minute schedule's
  // every window: beyond a year back, only the count matters.
  SysSeconds cursor = from;
  if (now - cursor > std::chrono::days(366)) {
    if (auto last = schedule.last_at_or_before(now - std::chrono::days(366))) cursor = *last;
  }
  for (auto start = schedule.next_after(cursor); start && *start <= now;
       start = schedule.next_after(*start)) {
    DueWindow w{*start, *start + window, *start + window > now};
    if (w.open) {
      due.windows.push_back(w);
      continue;
    }
    closed.push_back(w);
    if (closed.size() > max_missed) {
      closed.pop_front();
      ++due.missed_beyond;
    }
  }
  due.windows.insert(due.windows.begin(), closed.begin(), closed.end());
  due.next = schedule.next_after(now);
  return due;
}

}  // namespace tend
