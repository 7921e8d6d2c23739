// Waiting that a cancelled task cuts short: back-off between restart
// attempts, pauses between probe retries.
#pragma once

#include <chrono>
#include <functional>

namespace tend::plugins {

// Sleeps `delay` in short slices, looking at `cancelled` between them.
// Returns false as soon as it is cancelled, true when the whole delay passed.
bool pause_unless_cancelled(std::chrono::milliseconds delay,
                            const std::function<bool()>& cancelled);

}  // namespace tend::plugins
