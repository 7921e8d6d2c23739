#include "plugins/health-check/probe_with_retries.h"

#include "plugins/support/pause.h"

namespace tend::health_check {
namespace {

// Long enough for a service that is restarting to get a moment, short
// enough that retries stay within a task's usual deadline.
constexpr std::chrono::milliseconds kRetryPause{1000};

}  // namespace

CheckOutcome probe_with_retries(const CheckRequest& request,
                                const std::function<bool()>& cancelled) {
  CheckOutcome outcome;
  for (int attempt = 0; attempt <= request.retries; ++attempt) {
    if (attempt > 0 && !plugins::pause_unless_cancelled(kRetryPause, cancelled)) break;
    outcome.tries = attempt + 1;
    outcome.last = plugins::probe(request.target, request.options, cancelled);
    if (outcome.last.ok || (cancelled && cancelled())) break;
  }
  outcome.cancelled = !outcome.last.ok && cancelled && cancelled();
  return outcome;
}

}  // namespace tend::health_check
