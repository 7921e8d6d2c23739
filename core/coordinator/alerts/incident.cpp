#include "core/coordinator/alerts/incident.h"

#include <array>

#include "core/coordinator/alerts/alert_time.h"

namespace tend::alerts {
namespace {

constexpr std::array<std::pair<IncidentStatus, std::string_view>, 7> kNames{{
    {IncidentStatus::kReceived, "received"},
    {IncidentStatus::kHeld, "held"},
    {IncidentStatus::kPendingApproval, "pending_approval"},
    {IncidentStatus::kRunning, "running"},
    {IncidentStatus::kVerifying, "verifying"},
    {IncidentStatus::kEscalated, "escalated"},
    {IncidentStatus::kClosed, "closed"},
}};

}  // namespace

std::string_view status_name(IncidentStatus status) {
  for (const auto& [s, name] : kNames) {
    if (s == status) return name;
  }
  return "received";
}

IncidentStatus status_from_name(std::string_view name) {
  for (const auto& [s, n] : kNames) {
    if (n == name) return s;
  }
  return IncidentStatus::kReceived;
}

tend::Incident to_message(const Incident& i) {
  tend::Incident m;
  m.set_id(i.id);
  m.set_fingerprint(i.fingerprint);
  m.set_alertname(i.alertname);
  m.mutable_labels()->insert(i.labels.begin(), i.labels.end());
  m.set_status(std::string(status_name(i.status)));
  m.set_pattern(i.pattern);
  m.set_plugin(i.plugin);
  m.set_decision(i.decision);
  if (i.confidence) m.set_confidence(*i.confidence);
  m.set_why(i.why);
  m.set_task_id(i.task_id);
  m.set_target(i.target);
  m.set_summary(i.summary);
  m.set_outcome(i.outcome);
  m.set_resolution(i.resolution);
  auto when = [](WallTime t, google::protobuf::Timestamp* (tend::Incident::*field)(),
                 tend::Incident& msg) {
    if (t != WallTime{}) *(msg.*field)() = to_timestamp(t);
  };
  when(i.started_at, &tend::Incident::mutable_started_at, m);
  when(i.received_at, &tend::Incident::mutable_received_at, m);
  when(i.dispatched_at, &tend::Incident::mutable_dispatched_at, m);
  when(i.fixed_at, &tend::Incident::mutable_fixed_at, m);
  when(i.alert_resolved_at, &tend::Incident::mutable_alert_resolved_at, m);
  when(i.resolved_at, &tend::Incident::mutable_resolved_at, m);
  if (i.time_to_remediate_ms)
    m.set_time_to_remediate_ms(static_cast<uint64_t>(*i.time_to_remediate_ms));
  m.set_repeats(i.repeats);
  m.set_escalated(i.escalated);
  return m;
}

}  // namespace tend::alerts
