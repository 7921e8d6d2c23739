// What the morning digest counts, read from the store for one 24-hour span:
// automatic fixes and how they went, approvals waiting and answered,
// escalations, maintenance windows, the alert patterns that failed most.
#pragma once

#include <chrono>

#include "bus/expected.h"
#include "core/store/pg_connection.h"
#include "schemas/report.pb.h"

namespace tend {

// Fills the counting fields of a DailyDigest (not day, timezone, the
// estimate or the markdown).
Expected<tend::DailyDigest> gather_digest_figures(store::PgConnection& conn,
                                                  std::chrono::sys_seconds from,
                                                  std::chrono::sys_seconds to);

// Engineer time saved: each automatic fix that worked, and each host a
// maintenance window ran on without a hand, at the configured minutes.
// Also says how it was estimated, in `assumption`.
void estimate_time_saved(tend::DailyDigest& digest, double minutes_per_fix,
                         double minutes_per_maintained_host);

}  // namespace tend
