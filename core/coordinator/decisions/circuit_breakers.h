// Circuit breakers, checked before every dispatch:
//
//   rate     per (service, host): at most [breakers] max_fixes_per_hour
//            automatic fixes in any hour; the next ones are escalated.
//   pattern  per alert pattern: after max_consecutive_failures failed fixes
//            in a row, escalate instead of trying again.
//   fleet    when more than fleet_failure_rate of the automatic fixes over
//            fleet_window failed (once there were fleet_min_fixes), every
//            automatic fix is paused and escalated.
//
// An open pattern or fleet breaker turns half-open after cool_down: the next
// fix goes through as a probe. If it verifies, the breaker closes; if it
// fails, it opens again for another cool_down. A human may reset any of them
// (tendctl breakers reset), which also forgets the fixes counted so far.
//
// Pure logic with time passed in; every change is reported by take_changes()
// so the pipeline can store and audit it.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/wall_time.h"
#include "core/coordinator/decisions/decision_settings.h"

namespace tend::decisions {

enum class BreakerState { kClosed, kOpen, kHalfOpen };
std::string_view breaker_state_name(BreakerState state);
BreakerState breaker_state_from_name(std::string_view name);

inline constexpr const char* kRateBreaker = "rate";
inline constexpr const char* kPatternBreaker = "pattern";
inline constexpr const char* kFleetBreaker = "fleet";
inline constexpr const char* kFleetKey = "fleet";

struct Breaker {
  std::string kind;  // rate, pattern, fleet
  std::string key;   // "nginx@web-01", the pattern, or "fleet"
  BreakerState state = BreakerState::kClosed;
  std::string reason = {};  // why it opened
  WallTime opened_at{};
  std::string probe_task = {};  // half-open: the fix let through
  WallTime reset_at{};          // fixes and outcomes before this do not count
};

struct BreakerChange {
  Breaker breaker;  // as it is now
  BreakerState from;
  std::string by = {};  // a human, for a reset
  std::string why = {};
};

// What tendctl breakers shows of one.
struct BreakerView {
  Breaker breaker;
  std::string detail;  // "2 of 3 fixes this hour", "1 of 12 failed in 1h", ...
};

class CircuitBreakers {
 public:
  explicit CircuitBreakers(BreakerSettings settings) : settings_(settings) {}

  struct Verdict {
    std::optional<std::string> pattern;    // escalate the fix, whatever its tier
    std::optional<std::string> automatic;  // it may not run on its own
  };
  // Before a fix of `pattern` on (service, host) is dispatched. May turn an
  // open breaker half-open (its cool-down is over).
  Verdict check(const std::string& pattern, const std::string& service, const std::string& host,
                WallTime now);

  // A fix went out. Counts toward the rate when automatic; becomes the probe
  // of a half-open breaker.
  void dispatched(const std::string& pattern, const std::string& service, const std::string& host,
                  const std::string& task_id, bool automatic, WallTime now);

  // A fix ended. `consecutive_failures` is the pattern's, from the
  // knowledge base, counting this one.
  void finished(const std::string& pattern, const std::string& task_id, bool automatic,
                bool verified, uint64_t consecutive_failures, WallTime now);

  // A human closes one. False when there is no such breaker.
  bool reset(const std::string& kind, const std::string& key, const std::string& by,
             const std::string& why, WallTime now);

  // At a restart: breakers as stored, and what happened within the windows.
  void restore(Breaker breaker);
  void restore_dispatch(const std::string& service, const std::string& host, WallTime at);
  void restore_outcome(bool verified, WallTime at);

  std::vector<BreakerView> view(WallTime now);
  std::vector<BreakerChange> take_changes();

 private:
  Breaker& breaker(const std::string& kind, const std::string& key);
  void open(Breaker& b, std::string reason, WallTime now);
  void close(Breaker& b, WallTime now, const std::string& by = "", const std::string& why = "");
  void half_open_if_cooled(Breaker& b, WallTime now);
  void prune(WallTime now);
  std::string rate_key(const std::string& service, const std::string& host) const;

  BreakerSettings settings_;
  std::map<std::pair<std::string, std::string>, Breaker> breakers_;
  std::map<std::string, std::deque<WallTime>> dispatches_;  // rate key -> automatic fixes
  std::deque<std::pair<WallTime, bool>> outcomes_;          // automatic fixes: verified?
  std::vector<BreakerChange> changes_;
};

}  // namespace tend::decisions
