// `tendctl breakers` as a person reads it: the emergency stop first, then
// each circuit breaker with its state and what it counts or why it opened.
#pragma once

#include <cstdint>
#include <string>

#include "schemas/decision.pb.h"

namespace tend::tendctl {

std::string render_breakers(const tend::BreakerList& list, int64_t now_unix_s, bool colour);

}  // namespace tend::tendctl
