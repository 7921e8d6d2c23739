// Names that go into subjects (hostnames, roles, tags, task ids) are checked
// here, once, so a dot or a wildcard can never reach a subject.
#pragma once

#include <string_view>

#include "bus/expected.h"

namespace tend {

// True when `name` is non-empty and only [A-Za-z0-9_-].
bool is_valid_name(std::string_view name);

// `what` names the field for the message, e.g. "hostname" or "tag".
Expected<void> check_name(std::string_view what, std::string_view name);

}  // namespace tend
