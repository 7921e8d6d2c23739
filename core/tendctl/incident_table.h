// `tendctl incidents` as a person reads it: one row per alert occurrence,
// newest first, with what was decided, how it ended and how long it took.
#pragma once

#include <cstdint>
#include <string>

#include "schemas/alert.pb.h"

namespace tend::tendctl {

// ID AGE ALERT HOST STATUS DECISION CONF OUTCOME TTR RESOLUTION, then a count.
std::string render_incidents(const tend::IncidentList& list, int64_t now_unix_s, bool colour);

}  // namespace tend::tendctl
