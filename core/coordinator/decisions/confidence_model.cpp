#include "core/coordinator/decisions/confidence_model.h"

namespace tend::decisions {

double ConfidenceModel::confidence(double prior, uint64_t successes, uint64_t failures) const {
  const double w = settings_.prior_weight;
  return (prior * w + static_cast<double>(successes)) /
         (w + static_cast<double>(successes) + static_cast<double>(failures));
}

Tier ConfidenceModel::tier(double confidence) const {
  if (confidence > settings_.run_alone_above) return Tier::kRunAlone;
  if (confidence >= settings_.approval_from) return Tier::kApproval;
  return Tier::kEscalate;
}

}  // namespace tend::decisions
