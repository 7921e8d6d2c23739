// The time of day as the wall shows it (UTC instants), behind an interface so
// that everything that decides by the calendar (schedules, maintenance
// windows) is tested with a clock the test sets, without sleeping.
#pragma once

#include <atomic>
#include <chrono>

namespace tend {

class WallClock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  virtual ~WallClock() = default;
  virtual time_point now() const = 0;
};

class SystemWallClock final : public WallClock {
 public:
  time_point now() const override { return std::chrono::system_clock::now(); }
};

// A clock that stands still until told otherwise; safe to read from any thread.
class ManualWallClock final : public WallClock {
 public:
  explicit ManualWallClock(time_point start = {}) : now_(start.time_since_epoch().count()) {}
  time_point now() const override { return time_point(time_point::duration(now_.load())); }
  void set(time_point t) { now_ = t.time_since_epoch().count(); }
  void advance(time_point::duration d) { now_ += d.count(); }

 private:
  std::atomic<time_point::duration::rep> now_;
};

}  // namespace tend
