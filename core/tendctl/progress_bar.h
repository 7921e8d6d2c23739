// The live line tendctl redraws while a task runs.
#pragma once

#include <string>

#include "schemas/progress.pb.h"

namespace tend::tendctl {

// "[#####-----] 5/10  ok 5  failed 0" (no line ending).
std::string progress_line(const tend::Progress& tally, size_t width = 20);

}  // namespace tend::tendctl
