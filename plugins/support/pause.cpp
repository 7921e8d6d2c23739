#include "plugins/support/pause.h"

#include <algorithm>
#include <thread>

namespace tend::plugins {
namespace {

// Short enough that a cancelled task stops within a blink.
constexpr std::chrono::milliseconds kSlice{20};

}  // namespace

bool pause_unless_cancelled(std::chrono::milliseconds delay,
                            const std::function<bool()>& cancelled) {
  const auto until = std::chrono::steady_clock::now() + delay;
  for (;;) {
    if (cancelled && cancelled()) return false;
    auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return true;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kSlice));
  }
}

}  // namespace tend::plugins
