// One alert occurrence, from the alert to its resolution: what was decided
// and why, the task that ran, what it found, and how it ended. Kept in the
// incidents table (incident_store.h); at most one incident per fingerprint is
// open at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/coordinator/alerts/alert.h"
#include "schemas/alert.pb.h"
#include "schemas/task.pb.h"

namespace tend::alerts {

enum class IncidentStatus {
  kReceived,         // being decided
  kHeld,             // an automatic fix waits out [alerts] hold before it runs
  kPendingApproval,  // a fix waits for a human
  kRunning,          // the fix's task is out
  kVerifying,        // the fix succeeded; waiting for the alert to resolve
  kEscalated,        // a human has to act; open until the alert resolves
  kClosed,           // over: see outcome and resolution
};

std::string_view status_name(IncidentStatus status);
IncidentStatus status_from_name(std::string_view name);

// How a fix ended, for the knowledge base and the breakers.
inline constexpr const char* kOutcomeVerified = "verified";
inline constexpr const char* kOutcomeFailed = "failed";
inline constexpr const char* kOutcomeCancelled = "cancelled";

struct Incident {
  int64_t id = 0;
  std::string fingerprint;
  std::string alertname;
  Labels labels;
  Labels annotations;
  std::string generator_url;
  IncidentStatus status = IncidentStatus::kReceived;

  // The decision.
  std::string pattern;  // the route, or the alert name when no route matched
  std::string plugin;
  std::string decision;  // run, approval, escalate
  std::optional<double> confidence;
  std::string why;
  bool automatic = false;  // run without a human's approval

  // The fix.
  std::string task_id;
  tend::Task task;  // as planned (dispatched once it has an id)
  std::string target;
  std::string service;
  std::string host;
  std::string summary;
  std::string outcome;     // kOutcome*, or "" while nothing ran
  std::string resolution;  // how it ended, in words
  std::string silence_id;  // Alertmanager's, while the fix is verified
  bool escalated = false;
  uint32_t repeats = 0;

  WallTime started_at{};  // the alert's startsAt
  WallTime received_at{};
  WallTime last_seen_at{};
  WallTime dispatched_at{};
  WallTime fixed_at{};           // the fix's summary came
  WallTime alert_resolved_at{};  // Alertmanager said resolved
  WallTime resolved_at{};        // the incident ended
  WallTime due_at{};             // a held fix runs, or verification gives up, at this time
  std::optional<int64_t> time_to_remediate_ms;

  bool open() const { return status != IncidentStatus::kClosed; }
};

// For tendctl incidents.
tend::Incident to_message(const Incident& incident);

}  // namespace tend::alerts
