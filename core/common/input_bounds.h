// Every value that comes from outside (a NATS message, an HTTP body, a config
// file) has a bound, and going over it is refused with a message that names
// the field, its size and the limit, e.g.
//   param 'command' is 300000 bytes; the limit is 4096
// so the operator knows what to shorten. These are the one way to say so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bus/expected.h"

namespace tend {

// `what` names the field as the operator wrote it: "param 'command'",
// "label 'alertname'", "[http] listen".
Expected<void> check_bytes(std::string_view what, size_t bytes, size_t limit);

// A list or map: "param 'paths' has 5000 items; the limit is 1024".
Expected<void> check_items(std::string_view what, size_t items, size_t limit);

// A number that must lie in [min, max], with its unit for the message:
// "timeout_s 99999999 is out of range: use 1 to 86400 s".
Expected<void> check_range(std::string_view what, int64_t value, int64_t min, int64_t max,
                           std::string_view unit);

// A table or queue that takes one more only while it holds fewer than
// `limit`: "coordinator busy: 10000 tasks in flight; the limit is 10000".
// `who` is what is full ("coordinator"), `held` says what it holds
// ("tasks in flight").
Expected<void> check_room(std::string_view who, size_t count, std::string_view held, size_t limit);

}  // namespace tend
