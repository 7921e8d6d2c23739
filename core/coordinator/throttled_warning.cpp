#include "core/coordinator/throttled_warning.h"

#include <spdlog/spdlog.h>

namespace tend {

bool ThrottledWarning::warn(std::string_view text, Clock::time_point now) {
  uint64_t held_back = 0;
  {
    std::lock_guard lock(mu_);
    if (logged_ && now - last_ < every_) {
      ++held_back_;
      return false;
    }
    logged_ = true;
    last_ = now;
    held_back = held_back_;
    held_back_ = 0;
  }
  if (held_back == 0) {
    spdlog::warn("{}", text);
  } else {
    spdlog::warn("{} (and {} more like it in the last {} s)", text, held_back, every_.count());
  }
  return true;
}

}  // namespace tend
