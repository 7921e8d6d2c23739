// How tendctl shows a Summary to a person: a table of hosts, the summary
// line, the `Finished processing` line and what needs attention.
#pragma once

#include <chrono>
#include <string>

#include "schemas/summary.pb.h"

namespace tend::tendctl {

// `colour` adds ANSI colours to statuses (only on a terminal).
std::string render_summary(const tend::Summary& summary, std::chrono::milliseconds wall,
                           bool colour);

// 0 all succeeded, 3 when a host is missing, else 1 (see exit_codes.h).
int exit_code_for(const tend::Summary& summary);

}  // namespace tend::tendctl
