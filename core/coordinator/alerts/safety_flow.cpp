// The safety nets around every fix, as the pipeline meets them: it asks the
// SafetyGate (breakers, blast radius, emergency stop) and audits, logs and
// escalates what the gate changed; tendctl's view and reset of them. Part of
// AlertPipeline (its thread).
#include <spdlog/spdlog.h>

#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/escalation.h"

namespace tend::alerts {

decisions::CircuitBreakers::Verdict AlertPipeline::safety_verdict(const Incident& incident) {
  return safety_.verdict(incident.pattern, incident.service, incident.host, now());
}

decisions::Reach AlertPipeline::reach_of(const Incident& incident) {
  tend::Target everyone;
  everyone.set_all(true);
  return {runner_.hosts(incident.task.target()).size(), runner_.hosts(everyone).size()};
}

void AlertPipeline::breakers_changed() {
  for (const auto& change : safety_.take_changes()) {
    const auto& b = change.breaker;
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
  if (!safety_.stop(control, now())) return;
  const std::string why = safety_.emergency_stop().why();
  audit(control.by(), "emergency-stop", "all", control.reason(), {{"active", true}});
  spdlog::warn("alerts: {}", why);
  // Fixes waiting out their hold would run on their own: not now.
  for (Incident* incident : incidents_.all()) {
    if (incident->status == IncidentStatus::kHeld) escalate(*incident, why);
  }
}

void AlertPipeline::emergency_resume(const tend::Control& control) {
  if (!safety_.resume(control, now())) return;
  audit(control.by(), "emergency-resume", "all", control.reason(), {{"active", false}});
  spdlog::info("alerts: emergency stop lifted by {}: fixes run again", control.by());
}

void AlertPipeline::handle(BreakersAsked& event) {
  auto list = safety_.breakers(now());
  breakers_changed();
  replier_.answer(event.from, list);
}

void AlertPipeline::handle(BreakerResetAsked& event) {
  auto reset = safety_.reset(event.reset, now());
  if (!reset) return replier_.refuse(event.from, reset.error().message);
  breakers_changed();
  replier_.answer(event.from, *reset);
}

}  // namespace tend::alerts
