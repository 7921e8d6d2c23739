// Times as tendctl shows and reads them: how long a host took, how old a
// heartbeat is, and the short timeouts operators type (500ms, 2s).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend::tendctl {

// "202ms", "4.5s", "2m05s", "1h02m": precise when short, readable when long.
std::string elapsed_text(std::chrono::milliseconds elapsed);

// "3s ago", "5m ago", "2h ago", "3d ago"; a clock slightly ahead reads "0s ago".
std::string age_text(int64_t seconds);

// "2026-05-01 08:00:03" in the local time zone ($TZ): when something happened.
std::string clock_text(int64_t unix_s);

// "500ms", or anything parse_duration takes ("2s", "1m", "3").
Expected<std::chrono::milliseconds> parse_short_duration(std::string_view text);

}  // namespace tend::tendctl
