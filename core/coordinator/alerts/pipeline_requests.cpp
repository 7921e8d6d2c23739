// tendctl's questions and commands, answered on the pipeline's thread: the
// incidents, the knowledge base and its promotions and demotions. Part of
// AlertPipeline.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/alert_time.h"

namespace tend::alerts {
namespace {

tend::KbEntry to_message(const decisions::KbEntry& e, const decisions::KnowledgeBase& kb) {
  tend::KbEntry m;
  m.set_pattern(e.pattern);
  m.set_plugin(e.plugin);
  m.set_confidence(kb.confidence(e));
  m.set_tier(std::string(
      decisions::tier_name(e.plugin.empty() ? decisions::Tier::kEscalate : kb.tier(e))));
  m.set_prior(e.prior);
  m.set_occurrences(e.occurrences);
  m.set_attempts(e.attempts);
  m.set_successes(e.successes);
  m.set_failures(e.failures);
  m.set_consecutive_failures(e.consecutive_failures);
  m.set_last_outcome(e.last_outcome);
  if (e.last_at != WallTime{}) *m.mutable_last_at() = to_timestamp(e.last_at);
  if (e.override_tier) m.set_override(std::string(decisions::tier_name(*e.override_tier)));
  m.set_override_by(e.override_by);
  m.set_override_reason(e.override_reason);
  return m;
}

}  // namespace

void AlertPipeline::handle(IncidentsAsked& event) {
  auto list = incidents_store_.list(event.query, now());
  if (!list)
    return replier_.refuse(event.from, "incidents cannot be read: " + list.error().message);
  replier_.answer(event.from, *list);
}

void AlertPipeline::handle(KbAsked& event) {
  tend::KbList list;
  for (const auto* e : kb_.all()) *list.add_entries() = to_message(*e, kb_);
  replier_.answer(event.from, list);
}

void AlertPipeline::handle(KbAdjustAsked& event) {
  const tend::KbAdjust& a = event.adjust;
  int direction = 0;
  if (a.direction() == "promote") direction = 1;
  if (a.direction() == "demote") direction = -1;
  if (direction == 0) {
    return replier_.refuse(
        event.from, fmt::format("direction '{}' is neither promote nor demote", a.direction()));
  }
  if (a.reason().empty()) {
    return replier_.refuse(event.from, "say why (--reason): it goes to the audit trail");
  }
  std::vector<decisions::KbEntry*> found;
  for (const auto* e : kb_.all()) {
    if (e->pattern == a.pattern() && (a.plugin().empty() || e->plugin == a.plugin())) {
      found.push_back(kb_.find(e->pattern, e->plugin));
    }
  }
  if (found.empty()) {
    return replier_.refuse(
        event.from,
        fmt::format("no pattern '{}'{} in the knowledge base: tendctl kb "
                    "lists them",
                    a.pattern(), a.plugin().empty() ? "" : " with plugin " + a.plugin()));
  }
  if (found.size() > 1) {
    std::vector<std::string> plugins;
    for (const auto* e : found) plugins.push_back(e->plugin.empty() ? "(none)" : e->plugin);
    return replier_.refuse(event.from,
                           fmt::format("pattern '{}' has entries for several plugins ({}): say "
                                       "which with --plugin",
                                       a.pattern(), fmt::join(plugins, ", ")));
  }
  decisions::KbEntry& entry = *found[0];
  const auto before = kb_.tier(entry);
  const std::string by = a.by().empty() ? "unknown" : a.by();
  if (auto refused = kb_.adjust(entry, direction, by, a.reason(), now())) {
    return replier_.refuse(event.from, *refused);
  }
  save(entry);
  audit(by, direction > 0 ? "kb-promote" : "kb-demote", entry.pattern, a.reason(),
        {{"pattern", entry.pattern},
         {"plugin", entry.plugin},
         {"from", decisions::tier_name(before)},
         {"to", decisions::tier_name(kb_.tier(entry))}});
  spdlog::info("alerts: {} ({}) {} by {} to {}: {}", entry.pattern, entry.plugin,
               direction > 0 ? "promoted" : "demoted", by, decisions::tier_name(kb_.tier(entry)),
               a.reason());
  replier_.answer(event.from, to_message(entry, kb_));
}

}  // namespace tend::alerts
