// The numbers that decide how much autonomy a fix has: coordinator.toml's
// [confidence], [approvals], [breakers] and [blast_radius] (read in
// core/coordinator/alerts/alerts_config.cpp). Defaults are the documented ones.
#pragma once

#include <chrono>
#include <cstddef>

namespace tend::decisions {

struct ConfidenceSettings {
  double run_alone_above = 0.90;  // confidence above this: the fix runs on its own
  double approval_from = 0.50;    // from this up to run_alone_above: it waits for approval
  double prior_weight = 2;        // how many outcomes the route's prior counts as
};

struct ApprovalSettings {
  std::chrono::seconds ttl{3600};  // unanswered this long: denied, then escalated
};

struct BreakerSettings {
  size_t max_fixes_per_hour = 3;        // automatic fixes per (service, host)
  size_t max_consecutive_failures = 2;  // per pattern: then escalate instead
  double fleet_failure_rate = 0.10;     // of automatic fixes over fleet_window
  std::chrono::seconds fleet_window{3600};
  size_t fleet_min_fixes = 10;           // fewer fixes than this never trip the fleet breaker
  std::chrono::seconds cool_down{1800};  // open this long, then one probe (half-open)
};

struct BlastRadiusSettings {
  size_t max_nodes = 10;    // a target of more nodes needs approval
  double max_share = 0.25;  // ... or of more than this share of the fleet (2 nodes or more)
};

}  // namespace tend::decisions
