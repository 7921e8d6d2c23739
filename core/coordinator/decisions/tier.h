// How much autonomy a fix gets: it runs on its own, it waits for a human's
// approval, or it is escalated to a human without running.
#pragma once

#include <optional>
#include <string_view>

namespace tend::decisions {

enum class Tier { kRunAlone, kApproval, kEscalate };

// "run", "approval", "escalate": the incidents' decision column and tendctl.
constexpr std::string_view tier_name(Tier tier) {
  switch (tier) {
    case Tier::kRunAlone:
      return "run";
    case Tier::kApproval:
      return "approval";
    case Tier::kEscalate:
      return "escalate";
  }
  return "escalate";
}

constexpr std::optional<Tier> tier_from_name(std::string_view name) {
  for (Tier t : {Tier::kRunAlone, Tier::kApproval, Tier::kEscalate}) {
    if (tier_name(t) == name) return t;
  }
  return std::nullopt;
}

// The more cautious of two tiers.
constexpr Tier stricter(Tier a, Tier b) { return a > b ? a : b; }

}  // namespace tend::decisions
