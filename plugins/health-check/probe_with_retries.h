// A health check as the task asked for it: one probe, and up to `retries`
// more, a second apart, while it keeps failing. A cancelled task stops
// between tries and during the pause.
#pragma once

#include <functional>

#include "plugins/health-check/check_request.h"
#include "plugins/support/health_probe.h"

namespace tend::health_check {

struct CheckOutcome {
  plugins::ProbeResult last;  // the final probe: the passing one, or the last failure
  int tries = 0;
  bool cancelled = false;
};

CheckOutcome probe_with_retries(const CheckRequest& request,
                                const std::function<bool()>& cancelled);

}  // namespace tend::health_check
