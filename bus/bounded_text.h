// Text a plugin hands the host, made safe to keep and to send: cut to a
// bound (so a runaway plugin cannot fill the agent's memory or a NATS
// message) and made valid UTF-8 (protobuf refuses to parse a string field
// that is not, which would lose the whole result).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tend {

// Invalid bytes become U+FFFD; text longer than `max_bytes` is cut at a
// character boundary and ends with " [cut]" (the result fits max_bytes).
std::string bounded_text(std::string_view text, size_t max_bytes);

// The same without a bound, and without NUL bytes, which PostgreSQL text
// and jsonb cannot hold.
std::string storable_text(std::string_view text);

}  // namespace tend
