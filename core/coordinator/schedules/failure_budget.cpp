#include "core/coordinator/schedules/failure_budget.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tend {

FailureBudget::FailureBudget(size_t total, std::optional<size_t> max_failures,
                             std::optional<double> max_failure_percent)
    : total_(total), max_failures_(max_failures), max_percent_(max_failure_percent) {
  allowed_ = max_failures.value_or(total);
  if (max_failure_percent) {
    // A share of a small fleet may be less than one host: then none.
    auto share = static_cast<size_t>(
        std::floor(static_cast<double>(total) * *max_failure_percent / 100.0 + 1e-9));
    allowed_ = std::min(allowed_, share);
  }
  if (!max_failures && !max_failure_percent) allowed_ = 0;
}

std::string FailureBudget::describe() const {
  std::string rule = "0";
  if (max_failures_ && max_percent_) {
    rule = fmt::format("{} / {}%", *max_failures_, *max_percent_);
  } else if (max_failures_) {
    rule = fmt::format("{}", *max_failures_);
  } else if (max_percent_) {
    rule = fmt::format("{}%", *max_percent_);
  }
  return fmt::format("more than {} of {} host(s) failed (budget {})", allowed_, total_, rule);
}

}  // namespace tend
