// How a run's hosts are split into batches: a canary batch first, then
// batches of N hosts or N% of the target, none holding more than
// `max_per_role` hosts of one role (a host that does not fit waits for a
// later batch). With the health gate on, batches never overlap, so the cap
// is the most hosts of a role being worked on at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/host_count.h"

namespace tend {

struct RolloutShape {
  size_t canary = 0;
  std::optional<HostCount> batch;  // nothing: everything after the canary at once
  size_t max_per_role = 0;         // 0: no cap
};

using Batches = std::vector<std::vector<std::string>>;

// `hosts` in the order to work through; `roles` maps host → role (unknown
// hosts share the role "").
Batches plan_batches(const std::vector<std::string>& hosts,
                     const std::map<std::string, std::string>& roles, const RolloutShape& shape);

}  // namespace tend
