// The safety nets around every fix: circuit breakers, the blast radius and
// the emergency stop, and tendctl's view and reset of them. Part of
// AlertPipeline (its thread).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/alert_time.h"
#include "core/coordinator/alerts/escalation.h"

namespace tend::alerts {
namespace {

tend::Breaker to_message(const decisions::BreakerView& v) {
  tend::Breaker m;
  m.set_kind(v.breaker.kind);
  m.set_key(v.breaker.key);
  m.set_state(std::string(decisions::breaker_state_name(v.breaker.state)));
  m.set_detail(v.detail);
  if (v.breaker.state != decisions::BreakerState::kClosed) {
    *m.mutable_since() = to_timestamp(v.breaker.opened_at);
  }
  m.set_probe_task_id(v.breaker.probe_task);
  return m;
}

}  // namespace

decisions::CircuitBreakers::Verdict AlertPipeline::safety_verdict(const Incident& incident) {
  auto verdict = breakers_.check(incident.pattern, incident.service, incident.host, now());
  if (stop_.active) verdict.pattern = stop_.why();
  return verdict;
}

std::optional<std::string> AlertPipeline::blast_radius(const Incident& incident, size_t& hosts) {
  hosts = runner_.hosts(incident.task.target()).size();
  const auto& limits = options_.config.blast_radius;
  if (hosts > limits.max_nodes) {
    return fmt::format("the target {} means {} nodes, more than [blast_radius] max_nodes {}",
                       incident.target, hosts, limits.max_nodes);
  }
  // A single node is never a blast, however small the fleet.
  if (hosts < 2) return std::nullopt;
  tend::Target everyone;
  everyone.set_all(true);
  const size_t fleet = runner_.hosts(everyone).size();
  if (fleet == 0) return std::nullopt;
  const double share = static_cast<double>(hosts) / static_cast<double>(fleet);
  if (share <= limits.max_share) return std::nullopt;
  return fmt::format(
      "the target {} means {} of {} nodes ({:.0f}%), more than [blast_radius] "
      "max_share {:.0f}%",
      incident.target, hosts, fleet, share * 100, limits.max_share * 100);
}

void AlertPipeline::breakers_changed() {
  for (const auto& change : breakers_.take_changes()) {
    const auto& b = change.breaker;
    if (auto ok = safety_store_.save(b); !ok) {
      spdlog::error("alerts: breaker {} {} not saved: {}", b.kind, b.key, ok.error().message);
    }
    const std::string to(decisions::breaker_state_name(b.state));
    const std::string action = !change.by.empty() ? "breaker-reset" : "breaker-" + to;
    const std::string why = !change.by.empty() ? change.why : b.reason;
    audit(change.by.empty() ? options_.actor : change.by, action, b.kind + " " + b.key, why,
          {{"kind", b.kind},
           {"key", b.key},
           {"from", decisions::breaker_state_name(change.from)},
           {"to", to},
           {"probe_task", b.probe_task}});
    if (b.state == decisions::BreakerState::kOpen) {
      spdlog::warn("alerts: breaker {} {} opened: {}", b.kind, b.key, b.reason);
      // The rate limit speaks through the incidents it escalates; the
      // others stop a whole pattern, or the fleet: worth a message of their own.
      if (b.kind != decisions::kRateBreaker) {
        escalator_.send(breaker_escalation(b.kind, b.key, b.reason, now()));
      }
    } else {
      spdlog::info("alerts: breaker {} {} is {}{}", b.kind, b.key, to,
                   change.by.empty() ? "" : " (reset by " + change.by + ": " + change.why + ")");
    }
  }
}

void AlertPipeline::emergency_stop(const tend::Control& control) {
  if (stop_.active) return;
  stop_ = {true, control.by(), control.reason(), now()};
  if (auto ok = safety_store_.save(stop_); !ok) {
    spdlog::error("alerts: the emergency stop is not kept (a restart forgets it): {}",
                  ok.error().message);
  }
  audit(control.by(), "emergency-stop", "all", control.reason(), {{"active", true}});
  spdlog::warn("alerts: {}", stop_.why());
  // Fixes waiting out their hold would run on their own: not now.
  for (Incident* incident : incidents_.all()) {
    if (incident->status == IncidentStatus::kHeld) escalate(*incident, stop_.why());
  }
}

void AlertPipeline::emergency_resume(const tend::Control& control) {
  if (!stop_.active) return;
  stop_ = {false, control.by(), control.reason(), now()};
  if (auto ok = safety_store_.save(stop_); !ok) {
    spdlog::error("alerts: the end of the emergency stop is not kept: {}", ok.error().message);
  }
  audit(control.by(), "emergency-resume", "all", control.reason(), {{"active", false}});
  spdlog::info("alerts: emergency stop lifted by {}: fixes run again", control.by());
}

void AlertPipeline::handle(BreakersAsked& event) {
  tend::BreakerList list;
  for (const auto& v : breakers_.view(now())) *list.add_breakers() = to_message(v);
  breakers_changed();
  auto* stop = list.mutable_emergency_stop();
  stop->set_active(stop_.active);
  stop->set_by(stop_.by);
  stop->set_reason(stop_.reason);
  if (stop_.since != WallTime{}) *stop->mutable_since() = to_timestamp(stop_.since);
  replier_.answer(event.from, list);
}

void AlertPipeline::handle(BreakerResetAsked& event) {
  const tend::BreakerReset& r = event.reset;
  if (r.reason().empty())
    return replier_.refuse(event.from, "say why (--reason): it goes to the audit trail");
  if (r.kind() != decisions::kRateBreaker && r.kind() != decisions::kPatternBreaker &&
      r.kind() != decisions::kFleetBreaker) {
    return replier_.refuse(event.from,
                           fmt::format("kind '{}' is not rate, pattern or fleet", r.kind()));
  }
  const std::string key = r.kind() == decisions::kFleetBreaker ? decisions::kFleetKey : r.key();
  if (key.empty()) {
    return replier_.refuse(event.from,
                           fmt::format("which {} breaker? tendctl breakers lists them", r.kind()));
  }
  const std::string by = r.by().empty() ? "unknown" : r.by();
  if (!breakers_.reset(r.kind(), key, by, r.reason(), now())) {
    return replier_.refuse(
        event.from,
        fmt::format("there is no {} breaker {}: tendctl breakers lists them", r.kind(), key));
  }
  breakers_changed();
  tend::Breaker reply;
  reply.set_kind(r.kind());
  reply.set_key(key);
  reply.set_state("closed");
  reply.set_detail("reset by " + by + ": " + r.reason());
  replier_.answer(event.from, reply);
}

}  // namespace tend::alerts
