// The message a human gets when tend will not (or could not) fix something
// alone: what fired, what was tried, what it found, and what to look at, in
// words that stand on their own at 2 AM.
#pragma once

#include <string>

#include "core/coordinator/alerts/incident.h"
#include "schemas/alert.pb.h"
#include "schemas/escalation.pb.h"

namespace tend::alerts {

inline constexpr const char* kEscalationKind = "escalation";
inline constexpr const char* kApprovalRequestKind = "approval_request";
inline constexpr const char* kResolvedKind = "resolved";
inline constexpr const char* kBreakerKind = "breaker";

// `why` is why tend escalates; `look_at` what a human should check (a
// sensible one is made from the incident when empty).
tend::Escalation build_escalation(const Incident& incident, const std::string& kind,
                                  const std::string& why, std::string look_at, WallTime now);

// A breaker that opened: not one incident's, all of a kind's.
tend::Escalation breaker_escalation(const std::string& kind, const std::string& key,
                                    const std::string& why, WallTime now);

// One line for a chat message or a page: "DiskFull on web-01: escalated: ...".
std::string headline(const tend::Escalation& e);

}  // namespace tend::alerts
