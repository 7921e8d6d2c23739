// Earned confidence: how likely a fix for a pattern is to work, from the
// route's prior and the verified outcomes since.
//
// The prior p (prior_confidence in routes.toml) counts as w pseudo-outcomes
// ([confidence] prior_weight, default 2): a Beta(p·w, (1-p)·w) prior. Each
// verified success adds one to the first, each failure one to the second,
// and confidence is the posterior mean:
//
//     confidence = (p·w + successes) / (w + successes + failures)
//
// Why this and not a Wilson lower bound: it starts where the operator says
// (a Wilson bound ignores the prior and starts every new fix at 0), it moves
// by a visible amount with each outcome, and anyone can check it on paper.
// The weight decides how fast evidence outweighs the prior: with w = 2 and
// p = 0.6, seven verified successes in a row reach 0.91 (runs alone), and
// one failure after them drops it to 0.82 (waits for approval).
//
// Tiers: above run_alone_above (0.9) a fix runs on its own; from
// approval_from (0.5) up to there it waits for approval; below it, escalates.
#pragma once

#include <cstdint>

#include "core/coordinator/decisions/decision_settings.h"
#include "core/coordinator/decisions/tier.h"

namespace tend::decisions {

class ConfidenceModel {
 public:
  explicit ConfidenceModel(ConfidenceSettings settings) : settings_(settings) {}

  double confidence(double prior, uint64_t successes, uint64_t failures) const;
  Tier tier(double confidence) const;
  const ConfidenceSettings& settings() const { return settings_; }

 private:
  ConfidenceSettings settings_;
};

}  // namespace tend::decisions
