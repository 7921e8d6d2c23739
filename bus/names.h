// Names that go into subjects (hostnames, roles, tags, task ids) are checked
// here, once, so a dot or a wildcard can never reach a subject.
#pragma once

#include <cstddef>
#include <string_view>

#include "bus/expected.h"

namespace tend {

// A subject token is at most this long: a hostname (HOST_NAME_MAX is 64), a
// role, a tag, a task id ("t-" and 16 hex digits when generated), a plugin's
// name. Longer is refused as "task id is 300 bytes; the limit is 128".
inline constexpr size_t kMaxNameBytes = 128;

// True when `name` is non-empty and only [A-Za-z0-9_-].
bool is_valid_name(std::string_view name);

// `what` names the field for the message, e.g. "hostname" or "tag".
Expected<void> check_name(std::string_view what, std::string_view name);

}  // namespace tend
