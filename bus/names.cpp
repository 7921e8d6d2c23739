#include "bus/names.h"

#include <fmt/format.h>

#include <string>

namespace tend {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}
bool is_printable(char c) { return c >= 0x20 && c < 0x7f; }

// A NUL or a stray byte would make the refusal itself unreadable (or not
// UTF-8, which a protobuf string must be): show such bytes as '?'.
std::string printable(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (!is_printable(c)) c = '?';
  }
  return out;
}

std::string shown(char c) {
  if (is_printable(c)) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
}

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

Expected<void> check_name(std::string_view what, std::string_view name) {
  if (name.empty()) return make_error(fmt::format("{} is empty", what));
  // Not quoted: the name may be the 100 KB a hostile sender made up. The
  // wording of core/common/input_bounds.h (bus cannot depend on core).
  if (name.size() > kMaxNameBytes) {
    return make_error(
        fmt::format("{} is {} bytes; the limit is {}", what, name.size(), kMaxNameBytes));
  }
  for (char c : name) {
    if (!is_name_char(c)) {
      return make_error(fmt::format("{} '{}' has {}: only letters, digits, '_' and '-' are allowed",
                                    what, printable(name), shown(c)));
    }
  }
  return {};
}

}  // namespace tend
