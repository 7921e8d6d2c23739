// Which sanitizers this build runs under (scripts/test --sanitize), known at
// compile time: GCC defines __SANITIZE_ADDRESS__, Clang answers
// __has_feature(address_sanitizer).
#pragma once

namespace tend {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace tend
