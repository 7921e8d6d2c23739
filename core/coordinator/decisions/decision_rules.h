// The decision for one fix: the tier its confidence earned, then every rule
// that can only make it more cautious — a human's demotion, the route's
// requires_approval or high risk, the blast radius, the circuit breakers,
// the emergency stop. The reasons say why, in order, for the incident and
// the audit trail.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/coordinator/decisions/tier.h"

namespace tend::decisions {

struct DecisionFacts {
  // From the knowledge base.
  Tier earned = Tier::kEscalate;      // by confidence, a failed last fix demoting
  std::optional<Tier> override_tier;  // a human's promote/demote
  std::string override_note;          // "promoted by alice: ..."
  double confidence = 0;
  double prior = 0;
  uint64_t successes = 0;
  uint64_t failures = 0;
  bool last_failed = false;
  // From the route.
  bool requires_approval = false;
  bool high_risk = false;
  // Safety: set when it applies, saying why.
  std::optional<std::string> blast_radius;  // the target is too wide to run alone
  // An open breaker: the pattern's (escalates whatever the tier), or one
  // that limits automatic fixes (rate per service and host, fleet failures).
  std::optional<std::string> pattern_breaker;
  std::optional<std::string> automatic_breaker;
  std::optional<std::string> stopped;  // the emergency stop is on: nothing runs
};

struct Decision {
  Tier tier = Tier::kEscalate;
  double confidence = 0;
  std::vector<std::string> reasons;
  std::string why() const;  // the reasons joined, ending with what happens
};

Decision decide(const DecisionFacts& facts);

}  // namespace tend::decisions
