// Bounds on a whole TOML document, whatever its keys: a config file is read
// into memory, matched against alerts and copied into tasks, so no string or
// list in it may be unbounded. Each file's readers add tighter bounds for the
// keys that need them (a matcher, a name); this is the floor under all.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <string>

#include "bus/expected.h"

namespace tend {

// A config file larger than this is refused before it is parsed.
inline constexpr size_t kMaxConfigFileBytes = 4u << 20;

struct TomlBounds {
  size_t max_string_bytes = 4096;  // any string value
  size_t max_items = 1000;         // any list, and any table's keys
  size_t max_key_bytes = 256;      // any key
};

// The first value past a bound, as "FILE:LINE: route[3].params.command is
// 5000 bytes; the limit is 4096".
Expected<void> check_toml_bounds(const toml::table& doc, const std::string& path,
                                 const TomlBounds& bounds);

}  // namespace tend
