// A cron expression read in an IANA time zone: when does it fire next, as
// an instant? Daylight-saving changes follow TimeZone's rules: a local time
// skipped in spring fires at the first instant after the gap (once, however
// many matching minutes the gap swallowed); a local time repeated in autumn
// fires at its first occurrence only, never again in the repeated hour.
#pragma once

#include <optional>
#include <string>

#include "core/common/time_zone.h"
#include "core/coordinator/schedules/cron_expression.h"

namespace tend {

class ZonedSchedule {
 public:
  ZonedSchedule(CronExpression cron, TimeZone zone)
      : cron_(std::move(cron)), zone_(std::move(zone)) {}

  // Both parsed; the error names the field ("cron: ..." or "timezone: ...").
  static Expected<ZonedSchedule> parse(std::string_view cron, std::string_view zone);

  // The first firing strictly after `t`; nothing when the expression never
  // fires again (it always does, once parsed).
  std::optional<SysSeconds> next_after(SysSeconds t) const;

  // The last firing at or before `t` (within the last eight years).
  std::optional<SysSeconds> last_at_or_before(SysSeconds t) const;

  const CronExpression& cron() const { return cron_; }
  const TimeZone& zone() const { return zone_; }

 private:
  CronExpression cron_;
  TimeZone zone_;
};

}  // namespace tend
