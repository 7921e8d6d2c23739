#include "core/coordinator/alerts/escalator.h"

#include <spdlog/spdlog.h>

#include "core/coordinator/alerts/escalation.h"

namespace tend::alerts {

Escalator::Escalator(Connection& conn, Subjects subjects,
                     const std::vector<NotifierConfig>& notifiers)
    : conn_(conn), subjects_(std::move(subjects)) {
  for (const auto& n : notifiers) notifiers_.push_back(std::make_unique<Notifier>(n));
}

void Escalator::send(const tend::Escalation& escalation) {
  if (auto ok = conn_.publish(subjects_.escalation(), escalation, Encoding::kJson); !ok) {
    spdlog::error("escalation not published on {}: {} ({})", subjects_.escalation(),
                  ok.error().message, headline(escalation));
  }
  for (auto& notifier : notifiers_) notifier->notify(escalation);
}

}  // namespace tend::alerts
