// One alert's way through the pipeline: a new occurrence or a repeat, the
// decision, the fix, and how it ended. Part of AlertPipeline (its thread).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "core/common/target_matcher.h"
#include "core/common/task_id.h"
#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/alert_time.h"
#include "core/coordinator/alerts/escalation.h"
#include "core/coordinator/decisions/decision_rules.h"

namespace tend::alerts {
namespace {

std::chrono::seconds seconds_between(WallTime from, WallTime to) {
  return std::chrono::duration_cast<std::chrono::seconds>(to - from);
}

// Every expected host succeeded, and each one's verify step passed.
bool plugin_verified(const tend::Summary& summary) {
  if (summary.expected() == 0 || summary.succeeded() != summary.expected()) return false;
  for (const auto& result : summary.results()) {
    if (result.status() == tend::SUCCEEDED && !result.verified()) return false;
  }
  return true;
}

}  // namespace

void AlertPipeline::firing(const Alert& alert, const std::string& source) {
  const WallTime t = now();
  if (Incident* open = incidents_.by_fingerprint(alert.fingerprint)) {
    // The same occurrence again (the other Alertmanager of a pair, a repeat
    // at its group_interval): it is being taken care of.
    ++open->repeats;
    open->last_seen_at = t;
    save(*open);
    return;
  }
  if (dedupe_.duplicate(alert.fingerprint, t)) {
    spdlog::debug("alerts: {} {} seen within the dedupe window; ignored", alert.alertname(),
                  alert.fingerprint);
    return;
  }
  Incident incident;
  incident.fingerprint = alert.fingerprint;
  incident.alertname = alert.alertname();
  incident.labels = alert.labels;
  incident.annotations = alert.annotations;
  incident.generator_url = alert.generator_url;
  incident.started_at = alert.starts_at == WallTime{} ? t : alert.starts_at;
  incident.received_at = t;
  incident.last_seen_at = t;
  incident.host = alert_host(alert);
  auto opened = incidents_store_.open(incident);
  if (!opened) {
    spdlog::error("alerts: {} on {} not recorded, so not acted on: {}", incident.alertname,
                  incident.host, opened.error().message);
    return;
  }
  if (!*opened) {
    spdlog::info("alerts: {} {} is already an open incident (another coordinator has it)",
                 incident.alertname, incident.fingerprint);
    return;
  }
  Incident& added = incidents_.add(std::move(incident));
  spdlog::info("alerts: incident {}: {} firing{} (from {})", added.id, added.alertname,
               added.host.empty() ? "" : " on " + added.host, source);
  audit(kAlertRequester, "alert", added, "firing", {{"labels", added.labels}, {"source", source}});
  decide(added, alert);
}

void AlertPipeline::decide(Incident& incident, const Alert& alert) {
  const WallTime t = now();
  auto route = routes_->match(alert);
  if (!route) {
    // A new pattern: remembered (tendctl kb shows how often it came), and a
    // human decides.
    incident.pattern = incident.alertname;
    auto& entry = kb_.entry(incident.pattern, "", 0, t);
    ++entry.occurrences;
    save(entry);
    incident.decision = std::string(decisions::tier_name(decisions::Tier::kEscalate));
    escalate(incident, fmt::format("no route in {} matches alert {}: a new pattern, a human "
                                   "decides",
                                   routes_->file(), incident.alertname));
    return;
  }
  incident.pattern = route->name;
  incident.plugin = route->plugin;
  auto& entry = kb_.entry(route->name, route->plugin, route->prior_confidence, t);
  ++entry.occurrences;
  save(entry);
  auto plan = plan_fix(route, alert);
  if (!plan) {
    incident.decision = std::string(decisions::tier_name(decisions::Tier::kEscalate));
    escalate(incident, fmt::format("route {} cannot make a fix of this alert: {}", route->name,
                                   plan.error().message));
    return;
  }
  incident.task = plan->task;
  incident.target = TargetMatcher::describe(plan->task.target());
  incident.service = plan->service;
  incident.host = plan->host;

  decisions::DecisionFacts facts = known_facts(entry, *route);
  const decisions::Reach reach = reach_of(incident);
  facts.blast_radius = safety_.blast_radius(incident.target, reach);
  if (reach.hosts == 0) {
    incident.decision = std::string(decisions::tier_name(decisions::Tier::kEscalate));
    escalate(incident, fmt::format("no tend agent matches the fix's target {} now: is tend-agent "
                                   "running on {}?",
                                   incident.target, incident.host));
    return;
  }
  safety_.judge(incident.pattern, incident.service, incident.host, t, facts);
  breakers_changed();
  const decisions::Decision decision = decisions::decide(facts);
  incident.decision = std::string(decisions::tier_name(decision.tier));
  incident.confidence = decision.confidence;
  incident.why = decision.why();
  audit(options_.actor, "decision", incident, incident.why,
        {{"decision", incident.decision},
         {"confidence", decision.confidence},
         {"reasons", decision.reasons}});
  spdlog::info("alerts: incident {}: {}", incident.id, incident.why);
  carry_out(incident, decision.tier);
}

decisions::DecisionFacts AlertPipeline::known_facts(const decisions::KbEntry& entry,
                                                    const Route& route) const {
  decisions::DecisionFacts facts;
  facts.earned = kb_.earned_tier(entry);
  facts.override_tier = entry.override_tier;
  if (entry.override_tier) {
    facts.override_note =
        fmt::format("set to {} by {}: {}", decisions::tier_name(*entry.override_tier),
                    entry.override_by, entry.override_reason);
  }
  facts.confidence = kb_.confidence(entry);
  facts.prior = entry.prior;
  facts.successes = entry.successes;
  facts.failures = entry.failures;
  facts.last_failed = entry.last_outcome == kOutcomeFailed;
  facts.requires_approval = route.requires_approval;
  facts.high_risk = route.risk == Risk::kHigh;
  return facts;
}

void AlertPipeline::carry_out(Incident& incident, decisions::Tier tier) {
  switch (tier) {
    case decisions::Tier::kRunAlone:
      if (options_.config.hold.count() > 0) {
        incident.status = IncidentStatus::kHeld;
        incident.due_at = now() + options_.config.hold;
        save(incident);
        return;
      }
      dispatch(incident, "");
      return;
    case decisions::Tier::kApproval:
      request_approval(incident);
      return;
    case decisions::Tier::kEscalate:
      escalate(incident, incident.why);
      return;
  }
}

void AlertPipeline::dispatch(Incident& incident, const std::string& approved_by) {
  tend::Task task = incident.task;
  if (task.id().empty()) task.set_id(new_task_id());  // an approved one has its id already
  incident.task_id = task.id();
  incident.task = task;
  incident.status = IncidentStatus::kRunning;
  incident.automatic = approved_by.empty();
  incident.dispatched_at = now();
  save(incident);
  audit(approved_by.empty() ? options_.actor : approved_by, "fix", incident, task.reason(),
        {{"automatic", incident.automatic}, {"target", incident.target}});
  spdlog::info("alerts: incident {}: {} on {} ({})", incident.id, task.plugin(), incident.target,
               task.id());
  if (auto* entry = kb_.find(incident.pattern, incident.plugin)) {  // made by decide()
    ++entry->attempts;
    save(*entry);
  }
  safety_.dispatched(incident.pattern, incident.service, incident.host, task.id(),
                     incident.automatic, now());
  breakers_changed();
  silence(incident);
  live_tasks_.insert(task.id());
  const std::string id = task.id();
  runner_.run(std::move(task), [this, id](const tend::Summary& summary) {
    loop_.push(FixFinished{id, summary});
  });
}

void AlertPipeline::fix_finished(Incident& incident, const tend::Summary& summary) {
  incident.fixed_at = now();
  incident.summary = summary.text();
  if (summary.expected() == 0 && summary.responded() == 0) {
    incident.outcome = "";
    escalate(incident, fmt::format("no tend agent matches the fix's target {}: is tend-agent "
                                   "running on {}?",
                                   incident.target, incident.host));
    return;
  }
  if (!plugin_verified(summary)) {
    fix_failed(incident, summary.text());
    return;
  }
  auto route = route_named(incident.pattern);
  const auto verify_within = route ? route->verify_within : std::chrono::seconds(0);
  if (verify_within.count() == 0) {
    verified(incident, fmt::format("verified by {}: {}", incident.plugin, summary.text()));
    return;
  }
  if (incident.alert_resolved_at != WallTime{}) {
    verified(incident, "verified: the alert resolved while the fix ran");
    return;
  }
  incident.status = IncidentStatus::kVerifying;
  incident.due_at = now() + verify_within;
  save(incident);
  spdlog::info("alerts: incident {}: fix succeeded; waiting up to {} for the alert to resolve",
               incident.id, duration_words(verify_within));
}

void AlertPipeline::verified(Incident& incident, const std::string& resolution) {
  const WallTime t = now();
  incident.time_to_remediate_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t - incident.started_at).count();
  spdlog::info("alerts: incident {}: {}", incident.id, resolution);
  audit(options_.actor, "outcome", incident, resolution,
        {{"outcome", kOutcomeVerified}, {"summary", incident.summary}});
  learn(incident, true);
  close(incident, kOutcomeVerified, resolution);
}

void AlertPipeline::learn(const Incident& incident, bool verified) {
  auto& entry = kb_.record(incident.pattern, incident.plugin, verified, now());
  save(entry);
  safety_.finished(incident.pattern, incident.task_id, incident.automatic, verified,
                   entry.consecutive_failures, now());
  breakers_changed();
  if (auto ok =
          kb_store_.outcome(entry, verified, incident.automatic, incident.task_id, incident.id);
      !ok) {
    spdlog::error("alerts: outcome of incident {} not kept: {}", incident.id, ok.error().message);
  }
}

void AlertPipeline::fix_failed(Incident& incident, const std::string& what_found) {
  incident.outcome = kOutcomeFailed;
  audit(options_.actor, "outcome", incident, what_found,
        {{"outcome", kOutcomeFailed}, {"summary", incident.summary}});
  learn(incident, false);
  if (incident.alert_resolved_at != WallTime{}) {
    close(incident, kOutcomeFailed,
          fmt::format("the fix failed ({}); the alert resolved anyway", what_found));
    return;
  }
  escalate(incident, fmt::format("the fix failed: {}", what_found));
}

void AlertPipeline::escalate(Incident& incident, const std::string& why,
                             const std::string& look_at) {
  lift_silence(incident);  // a human must hear of it now
  incident.status = IncidentStatus::kEscalated;
  incident.escalated = true;
  if (incident.why.empty() || incident.decision == "escalate") incident.why = why;
  incident.resolution = why;
  incident.due_at = {};
  save(incident);
  spdlog::warn("alerts: incident {} escalated: {}", incident.id, why);
  audit(options_.actor, "escalate", incident, why);
  escalator_.send(build_escalation(incident, kEscalationKind, why, look_at, now()));
}

void AlertPipeline::close(Incident& incident, const std::string& outcome,
                          const std::string& resolution) {
  lift_silence(incident);
  incident.status = IncidentStatus::kClosed;
  if (!outcome.empty()) incident.outcome = outcome;
  incident.resolution = resolution;
  incident.resolved_at = now();
  incident.due_at = {};
  save(incident);
  // Whoever was told of it hears that it is over (PagerDuty resolves its page).
  if (incident.escalated) {
    escalator_.send(build_escalation(incident, kResolvedKind, resolution, "", now()));
  }
  incidents_.remove(incident.id);  // `incident` is gone from here on
}

void AlertPipeline::silence(Incident& incident) {
  auto route = route_named(incident.pattern);
  if (!route || !route->silence) return;
  if (!alertmanager_.configured()) {
    spdlog::warn(
        "alerts: route {} asks for a silence, but [alerts] alertmanager names no "
        "Alertmanager",
        route->name);
    return;
  }
  // Long enough for the fix and its verification; lifted as soon as it ends.
  const auto fix_time =
      std::chrono::seconds(incident.task.timeout_s() ? incident.task.timeout_s() : 300);
  const WallTime ends = now() + fix_time + route->verify_within + std::chrono::minutes(5);
  auto id = alertmanager_.silence(
      incident.labels, ends,
      fmt::format("tend is fixing this: {} on {} (incident {}, task {})", incident.plugin,
                  incident.target, incident.id, incident.task_id));
  if (!id) {
    spdlog::warn("alerts: incident {}: no silence in Alertmanager: {}", incident.id,
                 id.error().message);
    return;
  }
  incident.silence_id = *id;
  save(incident);
  audit(options_.actor, "silence", incident, "silenced in Alertmanager while the fix is verified",
        {{"silence_id", *id}, {"ends_at", format_rfc3339(ends)}});
}

void AlertPipeline::lift_silence(Incident& incident) {
  if (incident.silence_id.empty()) return;
  const std::string id = std::exchange(incident.silence_id, "");
  if (auto ok = alertmanager_.expire(id); !ok) {
    spdlog::warn("alerts: incident {}: silence {} not expired (it ends by itself): {}", incident.id,
                 id, ok.error().message);
    return;
  }
  audit(options_.actor, "silence-expired", incident, "the fix is over", {{"silence_id", id}});
}

void AlertPipeline::resolved(const Alert& alert) {
  Incident* incident = incidents_.by_fingerprint(alert.fingerprint);
  if (incident == nullptr) return;  // never acted on, or over already
  const WallTime t = now();
  incident->alert_resolved_at = t;
  incident->last_seen_at = t;
  const auto since_fix = seconds_between(incident->fixed_at, t);
  switch (incident->status) {
    case IncidentStatus::kHeld:
      audit(kAlertRequester, "cancel", *incident, "the alert resolved before the fix ran");
      close(*incident, kOutcomeCancelled, "the alert resolved before the fix ran");
      return;
    case IncidentStatus::kRunning:
      save(*incident);  // the fix's summary decides
      return;
    case IncidentStatus::kVerifying:
      verified(*incident, fmt::format("verified: the alert resolved {} after the fix",
                                      duration_words(since_fix)));
      return;
    case IncidentStatus::kPendingApproval:
      cancel_approval(*incident, "the alert resolved while the fix waited for approval");
      return;
    case IncidentStatus::kReceived:
    case IncidentStatus::kEscalated:
    case IncidentStatus::kClosed:
      audit(kAlertRequester, "resolved", *incident, "the alert resolved");
      close(*incident, "",
            incident->resolution.empty() ? "the alert resolved"
                                         : incident->resolution + "; the alert resolved");
      return;
  }
}

}  // namespace tend::alerts
