#include "bus/names.h"

#include <fmt/format.h>

namespace tend {
namespace {
constexpr size_t kMaxNameLength = 128;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

Expected<void> check_name(std::string_view what, std::string_view name) {
  if (name.empty()) return make_error(fmt::format("{} is empty", what));
  if (name.size() > kMaxNameLength) {
    return make_error(
        fmt::format("{} '{}' is longer than {} characters", what, name, kMaxNameLength));
  }
  for (char c : name) {
    if (!is_name_char(c)) {
      return make_error(fmt::format(
          "{} '{}' has '{}': only letters, digits, '_' and '-' are allowed", what, name, c));
    }
  }
  return {};
}

}  // namespace tend
