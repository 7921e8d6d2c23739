// How deeply a JSON text nests its objects and arrays, found by one linear
// scan that keeps no stack, so a hostile message ("[[[[...") is measured
// before any recursive parser sees it.
#pragma once

#include <cstddef>
#include <string_view>

#include "bus/expected.h"

namespace tend {

// The deepest nesting of '{' and '[' outside strings: 0 for a scalar, 1 for
// {"a":1}, 2 for {"a":[1]}. Malformed text is measured as far as it goes;
// the parser reports what is wrong with it.
size_t json_nesting_depth(std::string_view text);

// 32 levels of JSON objects and arrays: a task nests 4 deep ({"params":
// {"args": [...]}}), an Alertmanager payload 4; deeper is not a tend message.
inline constexpr size_t kMaxJsonDepth = 32;

// Refuses text nested deeper than kMaxJsonDepth, before any parser sees it:
// "JSON nesting is 33 levels deep; the limit is 32".
Expected<void> check_json_depth(std::string_view text);

}  // namespace tend
