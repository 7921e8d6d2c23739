// One place that sets up logging the same way for every program.
#pragma once

#include <string>

#include "bus/expected.h"

namespace tend {

// `level` is one of trace, debug, info, warn, error, off.
Expected<void> set_log_level(const std::string& level);

// Logs go to stderr with a short prefix naming the program.
void init_logging(const std::string& program);

}  // namespace tend
