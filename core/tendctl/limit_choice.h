// `tendctl run --limit N|N%`: a random subset of the online nodes the target
// matches, chosen here from the registry and sent as an explicit host list.
// The seed is printed so that `--seed` chooses the same hosts again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "schemas/heartbeat.pb.h"
#include "schemas/task.pb.h"

namespace tend::tendctl {

struct LimitChoice {
  std::vector<std::string> hosts;  // sorted
  size_t matched = 0;              // online nodes the target matched
  uint64_t seed = 0;
};

Expected<LimitChoice> choose_limited(const tend::NodeList& nodes, const tend::Target& target,
                                     const std::string& limit, std::optional<uint64_t> seed);

// "limit 10%: 5 of 48 matching hosts, seed 1234 (--seed 1234 chooses them again)"
std::string describe_choice(const LimitChoice& choice, const std::string& limit);

}  // namespace tend::tendctl
