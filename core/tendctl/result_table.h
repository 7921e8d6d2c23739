// How tendctl shows a Summary to a person, in the order they need it: one row
// per host, the summary line, how many answered and how long it took, then
// the hosts that need attention.
#pragma once

#include <chrono>
#include <string>

#include "schemas/summary.pb.h"

namespace tend::tendctl {

// `wall` is the time tendctl itself waited. `colour` colours the statuses
// (only on a terminal).
std::string render_summary(const tend::Summary& summary, std::chrono::milliseconds wall,
                           bool colour);

}  // namespace tend::tendctl
