// How one TALLY (see schemas/progress.proto) reads while a task runs.
#pragma once

#include <cstddef>
#include <string>

#include "schemas/progress.pb.h"

namespace tend::tendctl {

// "[#####-----] 5/10  ok 5  failed 0", redrawn in place on a terminal. The bar
// fills with the share of expected hosts that responded.
std::string progress_bar_line(const tend::Progress& tally, size_t width = 20);

// "progress: 5/10 responded (4 ok, 1 failed)", one per tally for logs and pipes.
std::string progress_plain_line(const tend::Progress& tally);

}  // namespace tend::tendctl
