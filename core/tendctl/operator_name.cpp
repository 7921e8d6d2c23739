#include "core/tendctl/operator_name.h"

#include <cstdlib>

namespace tend::tendctl {

std::string operator_name() {
  for (const char* var : {"SUDO_USER", "USER", "LOGNAME"}) {
    if (const char* value = std::getenv(var); value && *value) return value;
  }
  return "unknown";
}

}  // namespace tend::tendctl
