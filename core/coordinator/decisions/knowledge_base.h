// What tend has learned per (alert pattern, plugin): how often the pattern
// came, how often its fix ran, verified or failed, and the last outcome;
// and a human's promotion or demotion, if any. In memory on the alert
// pipeline's thread, written through to PostgreSQL (knowledge_store.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/common/wall_time.h"
#include "core/coordinator/decisions/confidence_model.h"
#include "core/coordinator/decisions/tier.h"

namespace tend::decisions {

struct KbEntry {
  std::string pattern;  // a route's name; the alert name for a pattern no route covers
  std::string plugin;   // "" for such a pattern
  double prior = 0.5;
  uint64_t occurrences = 0;  // incidents of the pattern
  uint64_t attempts = 0;     // fixes dispatched
  uint64_t successes = 0;    // verified
  uint64_t failures = 0;
  uint64_t consecutive_failures = 0;
  std::string last_outcome;  // verified, failed, or ""
  WallTime last_at{};
  WallTime first_seen{};
  // A human's say, which wins over the confidence tier until changed (a
  // failed fix undoes a promotion to "run").
  std::optional<Tier> override_tier;
  std::string override_by;
  std::string override_reason;
  WallTime override_at{};
};

class KnowledgeBase {
 public:
  explicit KnowledgeBase(ConfidenceModel model) : model_(model) {}

  // The entry, made when new. `prior` is the route's (kept up to date).
  KbEntry& entry(const std::string& pattern, const std::string& plugin, double prior, WallTime now);
  KbEntry* find(const std::string& pattern, const std::string& plugin);
  void restore(KbEntry entry);

  // A fix ended: verified (success) or not. Returns the entry.
  KbEntry& record(const std::string& pattern, const std::string& plugin, bool verified,
                  WallTime now);

  double confidence(const KbEntry& e) const;
  // The tier the evidence earns, before a human's override: a failed last
  // attempt keeps a pattern from running alone until a fix verifies again.
  Tier earned_tier(const KbEntry& e) const;
  // With the override, if any.
  Tier tier(const KbEntry& e) const;

  // promote (+1) or demote (-1) one tier from where it stands now; an error
  // text when it cannot move that way.
  std::optional<std::string> adjust(KbEntry& e, int direction, const std::string& by,
                                    const std::string& reason, WallTime now);

  std::vector<const KbEntry*> all() const;
  const ConfidenceModel& model() const { return model_; }

 private:
  ConfidenceModel model_;
  std::map<std::pair<std::string, std::string>, KbEntry> entries_;
};

}  // namespace tend::decisions
