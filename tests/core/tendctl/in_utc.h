// Renderers show times in the local time zone: tests pin it to UTC so that
// what they expect does not depend on the machine.
#pragma once

#include <cstdlib>
#include <ctime>

namespace tend::tendctl {

inline void use_utc() {
  setenv("TZ", "UTC", 1);
  tzset();
}

}  // namespace tend::tendctl
