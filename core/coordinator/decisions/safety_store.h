// The breakers and the emergency stop in PostgreSQL (breakers,
// alert_controls), and the automatic fixes of the last windows, read back
// from incidents, so that a restart forgets none of them.
#pragma once

#include "bus/expected.h"
#include "core/coordinator/decisions/circuit_breakers.h"
#include "core/coordinator/decisions/emergency_stop.h"
#include "core/store/database.h"

namespace tend::decisions {

class SafetyStore {
 public:
  explicit SafetyStore(store::Database& db) : db_(db) {}

  // Breakers first, then the fixes they count (dispatches within the hour,
  // outcomes within the fleet window).
  Expected<void> load(CircuitBreakers& breakers, std::chrono::seconds fleet_window, WallTime now);
  Expected<void> save(const Breaker& breaker);

  Expected<EmergencyStop> load_stop();
  Expected<void> save(const EmergencyStop& stop);

 private:
  store::Database& db_;
};

// The emergency stop as kept, for readers outside the alert loop (the
// scheduler, which starts no window while it is on).
Expected<EmergencyStop> read_emergency_stop(store::PgConnection& conn);

}  // namespace tend::decisions
