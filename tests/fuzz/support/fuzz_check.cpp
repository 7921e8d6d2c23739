#include "tests/fuzz/support/fuzz_check.h"

#include <cstdio>
#include <cstdlib>

namespace tend::fuzz {

void broken(std::string_view property, std::string_view detail) {
  std::fprintf(stderr, "\nfuzz: property broken: %.*s\n", static_cast<int>(property.size()),
               property.data());
  if (!detail.empty()) {
    std::fprintf(stderr, "fuzz: %.*s\n", static_cast<int>(detail.size()), detail.data());
  }
  std::abort();
}

}  // namespace tend::fuzz
