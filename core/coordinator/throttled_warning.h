// A warning that a flood would repeat thousands of times a second (an event
// queue full, a connection refused): logged at once, then at most once per
// interval with how many were held back, so the log says what happens
// without becoming the next thing to fill up. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

namespace tend {

class ThrottledWarning {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ThrottledWarning(std::chrono::seconds every = std::chrono::seconds(10))
      : every_(every) {}

  // Logs `text` unless a warning went out less than an interval ago; true
  // when it was logged.
  bool warn(std::string_view text, Clock::time_point now = Clock::now());

 private:
  const std::chrono::seconds every_;
  std::mutex mu_;
  Clock::time_point last_{};
  bool logged_ = false;
  uint64_t held_back_ = 0;
};

}  // namespace tend
