// How tendctl shows a Summary to a person, in the order they need it: one row
// per host, the summary line, how many answered and how long it took, then
// the hosts that need attention.
#pragma once

#include <chrono>
#include <string>

#include "schemas/summary.pb.h"

namespace tend::tendctl {

// "SUCCEEDED"; a status from a newer agent than this tendctl as "STATUS_7".
std::string status_name(tend::Status status);
// The ANSI colour of a status: green, yellow (nothing ran) or red.
const char* status_colour(tend::Status status);
// One line for a host: what went wrong when it failed, else what the plugin
// did; the first line only, cut to 80 characters.
std::string result_detail(const tend::Result& result);

// `wall` is the time tendctl itself waited. `colour` colours the statuses
// (only on a terminal).
std::string render_summary(const tend::Summary& summary, std::chrono::milliseconds wall,
                           bool colour);

}  // namespace tend::tendctl
