// RFC 3339 times as Alertmanager writes them ("2024-05-01T02:00:00.123456789Z",
// or with an offset), and microseconds since the epoch as PostgreSQL and the
// audit trail take them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bus/expected.h"
#include "core/coordinator/alerts/alert.h"

namespace tend::alerts {

// Alertmanager's "no time" (0001-01-01T00:00:00Z) reads as a zero WallTime.
Expected<WallTime> parse_rfc3339(std::string_view text);

// "2024-05-01T02:00:00.123Z" (UTC, milliseconds).
std::string format_rfc3339(WallTime t);

// "42s", "5m", "1h30m": how long, for messages people read.
std::string duration_words(std::chrono::seconds d);

}  // namespace tend::alerts
