// Incidents in PostgreSQL: opened when an alert occurrence arrives, updated
// at every step, read back at a restart and by tendctl incidents.
#pragma once

#include <optional>
#include <vector>

#include "bus/expected.h"
#include "core/coordinator/alerts/incident.h"
#include "core/store/database.h"
#include "schemas/alert.pb.h"

namespace tend::alerts {

class IncidentStore {
 public:
  explicit IncidentStore(store::Database& db) : db_(db) {}

  // Inserts `incident` and sets its id; false when the fingerprint already has
  // an open incident (another Alertmanager's copy came through another
  // coordinator, or before a restart).
  Expected<bool> open(Incident& incident);
  Expected<void> save(const Incident& incident);

  // The open incidents, oldest first (at a restart).
  Expected<std::vector<Incident>> load_open();
  // Fingerprints and when they were received, since `since` (the dedupe window).
  Expected<std::vector<std::pair<std::string, WallTime>>> received_since(WallTime since);

  Expected<tend::IncidentList> list(const tend::IncidentQuery& query, WallTime now);

 private:
  store::Database& db_;
};

}  // namespace tend::alerts
