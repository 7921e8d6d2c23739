// `tendctl nodes` as a person reads it: one row per node, sorted by host.
#pragma once

#include <cstdint>
#include <string>

#include "schemas/heartbeat.pb.h"

namespace tend::tendctl {

// HOST ROLE TAGS PLUGINS LAST-HEARTBEAT ONLINE, then "3 nodes, 2 online".
// `now_unix_s` is passed in so that ages can be tested; `colour` colours the
// ONLINE column (only on a terminal).
std::string render_nodes(const tend::NodeList& nodes, int64_t now_unix_s, bool colour);

}  // namespace tend::tendctl
