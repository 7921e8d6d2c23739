#include "core/coordinator/decisions/knowledge_base.h"

#include <fmt/format.h>

namespace tend::decisions {

KbEntry& KnowledgeBase::entry(const std::string& pattern, const std::string& plugin, double prior,
                              WallTime now) {
  auto [it, inserted] = entries_.try_emplace({pattern, plugin});
  KbEntry& e = it->second;
  if (inserted) {
    e.pattern = pattern;
    e.plugin = plugin;
    e.first_seen = now;
  }
  e.prior = prior;
  return e;
}

KbEntry* KnowledgeBase::find(const std::string& pattern, const std::string& plugin) {
  auto it = entries_.find({pattern, plugin});
  return it == entries_.end() ? nullptr : &it->second;
}

void KnowledgeBase::restore(KbEntry entry) {
  auto key = std::make_pair(entry.pattern, entry.plugin);
  entries_.insert_or_assign(std::move(key), std::move(entry));
}

KbEntry& KnowledgeBase::record(const std::string& pattern, const std::string& plugin, bool verified,
                               WallTime now) {
  KbEntry& e = entries_[{pattern, plugin}];
  e.pattern = pattern;
  e.plugin = plugin;
  if (e.first_seen == WallTime{}) e.first_seen = now;
  if (verified) {
    ++e.successes;
    e.consecutive_failures = 0;
    e.last_outcome = "verified";
  } else {
    ++e.failures;
    ++e.consecutive_failures;
    e.last_outcome = "failed";
    // A failure demotes: a human's promotion to "run" does not survive it.
    if (e.override_tier == Tier::kRunAlone) e.override_tier.reset();
  }
  e.last_at = now;
  return e;
}

double KnowledgeBase::confidence(const KbEntry& e) const {
  return model_.confidence(e.prior, e.successes, e.failures);
}

Tier KnowledgeBase::earned_tier(const KbEntry& e) const {
  Tier t = model_.tier(confidence(e));
  if (e.last_outcome == "failed") t = stricter(t, Tier::kApproval);
  return t;
}

Tier KnowledgeBase::tier(const KbEntry& e) const {
  return e.override_tier ? *e.override_tier : earned_tier(e);
}

std::optional<std::string> KnowledgeBase::adjust(KbEntry& e, int direction, const std::string& by,
                                                 const std::string& reason, WallTime now) {
  const Tier current = tier(e);
  if (direction > 0 && current == Tier::kRunAlone) {
    return fmt::format("{} ({}) already runs on its own", e.pattern, e.plugin);
  }
  if (direction < 0 && current == Tier::kEscalate) {
    return fmt::format("{} ({}) is already escalated every time", e.pattern, e.plugin);
  }
  if (direction > 0 && e.plugin.empty()) {
    return fmt::format("{} has no fix to promote: add a route for it to routes.toml", e.pattern);
  }
  const int next = static_cast<int>(current) - direction;  // kRunAlone is 0
  e.override_tier = static_cast<Tier>(next);
  e.override_by = by;
  e.override_reason = reason;
  e.override_at = now;
  return std::nullopt;
}

std::vector<const KbEntry*> KnowledgeBase::all() const {
  std::vector<const KbEntry*> out;
  for (const auto& [key, e] : entries_) out.push_back(&e);
  return out;
}

}  // namespace tend::decisions
