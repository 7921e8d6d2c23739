// What a harness asserts. Ordinary bad input is never a reason to stop: it
// is an error value like any other. Only a broken property aborts, so that
// libFuzzer keeps the input as a crash and the corpus replay test fails on it.
#pragma once

#include <string_view>

namespace tend::fuzz {

// Prints which property broke (and `detail`, when given) and aborts.
[[noreturn]] void broken(std::string_view property, std::string_view detail = {});

inline void require(bool holds, std::string_view property) {
  if (!holds) broken(property);
}

}  // namespace tend::fuzz
