#include "core/tendctl/operator_name.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace tend::tendctl {

std::string operator_name() {
  // The person behind sudo first: "root" says nothing in an audit trail.
  for (const char* var : {"SUDO_USER", "USER", "LOGNAME"}) {
    if (const char* value = std::getenv(var); value && *value) return value;
  }
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name) {
    return pw->pw_name;
  }
  return "unknown";
}

}  // namespace tend::tendctl
