// The safety nets around every fix, in one place: the circuit breakers, the
// blast radius and the emergency stop, and where they are kept in
// PostgreSQL. The alert loop asks it before a fix runs and tells it how
// fixes went; it speaks of a fix in plain facts (pattern, service, host,
// task id), not incidents. What changed comes back as values, for the loop
// to audit and escalate. On the alert loop's thread, like its store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/common/wall_time.h"
#include "core/coordinator/decisions/circuit_breakers.h"
#include "core/coordinator/decisions/decision_rules.h"
#include "core/coordinator/decisions/decision_settings.h"
#include "core/coordinator/decisions/emergency_stop.h"
#include "core/coordinator/decisions/safety_store.h"
#include "core/store/database.h"
#include "schemas/control.pb.h"
#include "schemas/decision.pb.h"

namespace tend::decisions {

// How far a fix reaches: the nodes its target means now, of the whole fleet.
struct Reach {
  size_t hosts = 0;
  size_t fleet = 0;
};

class SafetyGate {
 public:
  SafetyGate(BreakerSettings breakers, BlastRadiusSettings blast_radius, store::Database& db);

  // At start: the breakers, the fixes they count, and the emergency stop,
  // as kept.
  Expected<void> load(WallTime now);

  // What the breakers and the stop say about running a fix of `pattern` on
  // (service, host) now: the stop holds a fix back like its pattern's
  // breaker. May turn a breaker half-open (see take_changes).
  CircuitBreakers::Verdict verdict(const std::string& pattern, const std::string& service,
                                   const std::string& host, WallTime now);
  // The same question, answered as decide() takes it: the breakers and the
  // stop, each saying why.
  void judge(const std::string& pattern, const std::string& service, const std::string& host,
             WallTime now, DecisionFacts& facts);
  // Why a fix on `target` is too wide to run alone, or nothing.
  std::optional<std::string> blast_radius(const std::string& target, Reach reach) const;

  // A fix went out, or ended (`consecutive_failures`: the pattern's, from
  // the knowledge base, counting this one).
  void dispatched(const std::string& pattern, const std::string& service, const std::string& host,
                  const std::string& task_id, bool automatic, WallTime now);
  void finished(const std::string& pattern, const std::string& task_id, bool automatic,
                bool verified, uint64_t consecutive_failures, WallTime now);

  // Every breaker change since the last call, each saved already: what the
  // audit trail hears of.
  std::vector<BreakerChange> take_changes();

  // A pause or resume on tend.control.all, kept: whether it changed
  // anything (a second stop while stopped does not).
  bool stop(const tend::Control& control, WallTime now);
  bool resume(const tend::Control& control, WallTime now);
  const EmergencyStop& emergency_stop() const { return stop_; }

  // tendctl breakers: every breaker, and the stop. May turn a breaker
  // half-open (see take_changes).
  tend::BreakerList breakers(WallTime now);
  // tendctl breakers reset: the breaker as it is now, or why it was refused.
  Expected<tend::Breaker> reset(const tend::BreakerReset& reset, WallTime now);

 private:
  BlastRadiusSettings blast_radius_;
  std::chrono::seconds fleet_window_;
  CircuitBreakers breakers_;
  EmergencyStop stop_;
  SafetyStore safety_store_;
};

}  // namespace tend::decisions
