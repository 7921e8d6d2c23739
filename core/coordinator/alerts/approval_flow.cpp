// Fixes that wait for a human, as the pipeline meets them: the ApprovalDesk
// keeps them; here each is asked for, answered on tend.approve.<id> or
// tend.deny.<id>, expired after [approvals] ttl, or cancelled when the alert
// resolves first, and the incident goes on accordingly. Part of
// AlertPipeline (its thread).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/common/task_id.h"
#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/alert_time.h"
#include "core/coordinator/alerts/escalation.h"

namespace tend::alerts {

void AlertPipeline::request_approval(Incident& incident) {
  const WallTime t = now();
  // The id is the one operators answer on: tend.approve.<id>.
  incident.task.set_id(new_task_id());
  incident.task_id = incident.task.id();
  incident.status = IncidentStatus::kPendingApproval;
  save(incident);
  decisions::ApprovalRequest request;
  request.fix.task_id = incident.task_id;
  request.fix.incident_id = incident.id;
  request.pattern = incident.pattern;
  request.plugin = incident.plugin;
  request.target = incident.target;
  request.confidence = incident.confidence;
  request.why = incident.why;
  const decisions::PendingFix fix = approvals_.request(std::move(request), t);
  escalator_.send(build_escalation(incident, kApprovalRequestKind, incident.why, "", t));
  audit(options_.actor, "approval-request", incident, incident.why,
        {{"expires_at", format_rfc3339(fix.expires_at)}});
  spdlog::info("alerts: incident {}: {} on {} waits for approval until {}: tendctl approve {}",
               incident.id, incident.plugin, incident.target, format_rfc3339(fix.expires_at),
               incident.task_id);
}

void AlertPipeline::handle(ApprovalAnswered& event) {
  if (event.answer.by().empty()) {
    return replier_.refuse(event.from,
                           fmt::format("say who {}s: {{\"by\": \"your name\", \"comment\": "
                                       "\"why\"}}",
                                       event.approve ? "approve" : "deny"));
  }
  const decisions::PendingFix* pending = approvals_.find(event.task_id);
  Incident* incident = pending ? incidents_.by_id(pending->incident_id) : nullptr;
  if (incident == nullptr) {
    return replier_.refuse(event.from,
                           fmt::format("no fix waits for approval as task {} (answered, "
                                       "expired or cancelled already?): tendctl pending lists "
                                       "those that do",
                                       event.task_id));
  }
  if (event.approve) {
    // A human may approve what the automatic limits stopped, but not what
    // the emergency stop or the pattern's own breaker holds back.
    auto verdict = safety_verdict(*incident);
    breakers_changed();
    if (verdict.pattern) {
      return replier_.refuse(
          event.from, fmt::format("not approved: {}; the fix keeps waiting", *verdict.pattern));
    }
  }
  approvals_.answer(event.task_id, event.approve, event.answer, now());
  if (event.approve) return approve(*incident, event);
  deny(*incident, event);
}

void AlertPipeline::deny(Incident& incident, const ApprovalAnswered& event) {
  const tend::ApprovalAnswer& a = event.answer;
  audit(a.by(), "deny", incident, a.comment());
  // The alert still fires and nothing will fix it: whoever is on call
  // hears of it like any other escalation, not only the one who denied.
  escalate(incident,
           fmt::format("the fix was denied by {}{}", a.by(),
                       a.comment().empty() ? "" : ": " + a.comment()),
           "the alert still fires and tend will not fix it: see to it by hand");
  tend::ApprovalReply reply;
  reply.set_task_id(event.task_id);
  reply.set_decision("denied");
  reply.set_message(
      fmt::format("denied: {} does not run; incident {} stays open until the "
                  "alert resolves",
                  incident.plugin, incident.id));
  spdlog::info("alerts: incident {}: {}", incident.id, incident.resolution);
  replier_.answer(event.from, reply);
}

void AlertPipeline::approve(Incident& incident, const ApprovalAnswered& event) {
  const tend::ApprovalAnswer& a = event.answer;
  audit(a.by(), "approve", incident, a.comment());
  incident.task.set_approved_by(a.by());
  incident.task.set_force(a.force());
  tend::ApprovalReply reply;
  reply.set_task_id(event.task_id);
  reply.set_decision("approved");
  reply.set_message(fmt::format("approved: {} runs on {} as task {}{}", incident.plugin,
                                incident.target, event.task_id,
                                a.force() ? ", even outside the nodes' maintenance windows" : ""));
  dispatch(incident, a.by());
  replier_.answer(event.from, reply);
}

void AlertPipeline::expire_approvals() {
  for (const auto& fix : approvals_.expire(now())) {
    Incident* incident = incidents_.by_id(fix.incident_id);
    if (incident == nullptr) continue;
    const std::string why = fmt::format(
        "nobody approved {} on {} within {}: denied", incident->plugin, incident->target,
        duration_words(
            std::chrono::duration_cast<std::chrono::seconds>(fix.expires_at - fix.requested_at)));
    audit(options_.actor, "approval-expired", *incident, why);
    escalate(*incident, why);
  }
}

void AlertPipeline::cancel_approval(Incident& incident, const std::string& why) {
  approvals_.cancel(incident.task_id, why, now());
  audit(kAlertRequester, "cancel", incident, why);
  close(incident, kOutcomeCancelled, why);
}

void AlertPipeline::handle(PendingAsked& event) {
  replier_.answer(event.from, approvals_.pending([this](const decisions::PendingFix& fix,
                                                        tend::PendingApproval& p) {
    const Incident* incident = incidents_.by_id(fix.incident_id);
    if (incident == nullptr) return false;
    p.set_incident_id(incident->id);
    p.set_alertname(incident->alertname);
    p.set_pattern(incident->pattern);
    p.set_plugin(incident->plugin);
    p.set_target(incident->target);
    if (incident->confidence) p.set_confidence(*incident->confidence);
    p.set_why(incident->why);
    p.set_reason(incident->task.reason());
    return true;
  }));
}

}  // namespace tend::alerts
