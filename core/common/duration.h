// Human durations as operators type them: "90s", "5m", "2h", "7d", "1w", or a
// bare number of seconds.
#pragma once

#include <chrono>
#include <string_view>

#include "bus/expected.h"

namespace tend {

Expected<std::chrono::seconds> parse_duration(std::string_view text);

}  // namespace tend
