#include "bus/json_depth.h"

#include <fmt/format.h>

#include <algorithm>

namespace tend {

size_t json_nesting_depth(std::string_view text) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '{':
      case '[':
        deepest = std::max(deepest, ++depth);
        break;
      case '}':
      case ']':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

Expected<void> check_json_depth(std::string_view text) {
  size_t depth = json_nesting_depth(text);
  if (depth <= kMaxJsonDepth) return {};
  return make_error(
      fmt::format("JSON nesting is {} levels deep; the limit is {}", depth, kMaxJsonDepth));
}

}  // namespace tend
