// The one back-off policy for trying PostgreSQL again, whoever tries: soon
// after the first failure (a restart is over in a moment), then doubling, so
// a server that stays away is asked every few seconds and not flooded.
#pragma once

#include <algorithm>
#include <chrono>

namespace tend::store {

class Backoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{100};
  static constexpr std::chrono::milliseconds kLongest{5000};

  // How long to wait before the next try; each call doubles the next.
  std::chrono::milliseconds next() {
    auto delay = delay_;
    delay_ = std::min(delay_ * 2, kLongest);
    return delay;
  }
  // After a success: the next failure is tried again soon.
  void reset() { delay_ = kFirst; }

 private:
  std::chrono::milliseconds delay_ = kFirst;
};

}  // namespace tend::store
