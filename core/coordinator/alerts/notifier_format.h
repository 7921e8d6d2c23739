// What each kind of notifier POSTs for an escalation:
//
//   webhook    the Escalation as JSON (snake_case names, as on tend.escalation)
//   slack      an incoming-webhook message: "text" (the headline, for
//              notifications) and "blocks" with what fired, what was tried,
//              what it found and what to look at
//   pagerduty  an Events API v2 event: "trigger" for escalations and breakers,
//              "resolve" when an escalated incident is over, deduplicated per
//              alert fingerprint
#pragma once

#include <string>

#include "core/coordinator/alerts/alerts_config.h"
#include "schemas/alert.pb.h"
#include "schemas/escalation.pb.h"

namespace tend::alerts {

std::string webhook_body(const tend::Escalation& e);
std::string slack_body(const tend::Escalation& e);
std::string pagerduty_body(const tend::Escalation& e, const std::string& routing_key);

std::string notification_body(const NotifierConfig& notifier, const tend::Escalation& e);

// Whether `notifier` is told about `e` at all (PagerDuty pages for
// approvals only when configured so).
bool notifies(const NotifierConfig& notifier, const tend::Escalation& e);

}  // namespace tend::alerts
