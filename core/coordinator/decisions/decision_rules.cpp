#include "core/coordinator/decisions/decision_rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace tend::decisions {
namespace {

std::string percent(double x) { return fmt::format("{:.0f}%", x * 100); }

std::string outcome_words(Tier tier) {
  switch (tier) {
    case Tier::kRunAlone:
      return "runs on its own";
    case Tier::kApproval:
      return "waits for approval";
    case Tier::kEscalate:
      return "escalated to a human";
  }
  return "escalated to a human";
}

}  // namespace

std::string Decision::why() const {
  return fmt::format("{}: {}", fmt::join(reasons, "; "), outcome_words(tier));
}

Decision decide(const DecisionFacts& f) {
  Decision d;
  d.confidence = f.confidence;
  d.tier = f.earned;
  d.reasons.push_back(fmt::format("confidence {} ({} verified, {} failed, prior {})",
                                  percent(f.confidence), f.successes, f.failures,
                                  percent(f.prior)));
  if (f.override_tier) {
    d.tier = *f.override_tier;
    d.reasons.push_back(f.override_note);
  } else if (f.last_failed && d.tier == Tier::kApproval) {
    d.reasons.push_back("the last fix of this pattern failed");
  }
  auto at_least = [&d](Tier tier, std::string reason) {
    if (d.tier >= tier) return;
    d.tier = tier;
    d.reasons.push_back(std::move(reason));
  };
  if (f.requires_approval) at_least(Tier::kApproval, "the route requires approval");
  if (f.high_risk) at_least(Tier::kApproval, "the route's risk is high");
  if (f.blast_radius) at_least(Tier::kApproval, *f.blast_radius);
  if (f.automatic_breaker && d.tier == Tier::kRunAlone) {
    d.tier = Tier::kEscalate;
    d.reasons.push_back(*f.automatic_breaker);
  }
  for (const auto* safety : {&f.pattern_breaker, &f.stopped}) {
    if (*safety) {
      d.tier = Tier::kEscalate;
      d.reasons.push_back(**safety);
    }
  }
  return d;
}

}  // namespace tend::decisions
