// The number a plugin put in a field the SDK declares as one of its enums
// (tend_param_type, tend_risk). A C plugin may put any int there, but in C++
// reading an enum object whose value lies outside the enumeration's range is
// undefined behaviour: the agent reads such a field as the enum's underlying
// integer, checks the number, and only then uses it as the enum.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tend {

// Widened to int64_t: the underlying type's signedness is the compiler's choice.
template <typename Enum>
int64_t plugin_enum_value(const Enum& field) {
  static_assert(std::is_enum_v<Enum>);
  std::underlying_type_t<Enum> number;
  std::memcpy(&number, &field, sizeof number);
  return static_cast<int64_t>(number);
}

}  // namespace tend
