// The report of a maintenance run as people read it at 09:00: one line
// ("48/50 succeeded; 2 need attention: web-07 FAILED dpkg lock held, db-02
// TIMED_OUT"), then the hosts that need attention grouped by cause, what was
// skipped and why, windows missed, timing, the batches, and how to choose
// the same random subset again.
#pragma once

#include <string>
#include <vector>

#include "core/common/time_zone.h"
#include "core/coordinator/schedules/rollout.h"
#include "schemas/report.pb.h"

namespace tend {

tend::MaintenanceReport make_report(const RunSpec& spec, const RolloutOutcome& outcome,
                                    const TimeZone& zone);

// A window that closed with no coordinator to run it (`also_missed` counts
// older ones left out of the list).
tend::MaintenanceReport make_missed_report(const std::string& run_id,
                                           const tend::Schedule& schedule, SysSeconds window_start,
                                           SysSeconds window_end, const TimeZone& zone);

// The one line: counts and at most five hosts by name.
std::string report_line(const tend::MaintenanceReport& report);

// The whole report as Markdown.
std::string report_markdown(const tend::MaintenanceReport& report, const TimeZone& zone);

}  // namespace tend
