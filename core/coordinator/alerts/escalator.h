// Hands every escalation to humans: published on tend.escalation (JSON, so
// `nats sub tend.escalation` reads it) and given to each configured notifier,
// which delivers it on its own thread. Never blocks the caller.
#pragma once

#include <memory>
#include <vector>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/coordinator/alerts/alerts_config.h"
#include "core/coordinator/alerts/notifier.h"
#include "schemas/alert.pb.h"
#include "schemas/escalation.pb.h"

namespace tend::alerts {

class Escalator {
 public:
  Escalator(Connection& conn, Subjects subjects, const std::vector<NotifierConfig>& notifiers);

  void send(const tend::Escalation& escalation);

 private:
  Connection& conn_;
  Subjects subjects_;
  std::vector<std::unique_ptr<Notifier>> notifiers_;
};

}  // namespace tend::alerts
