// What one health-check task asks for, read from its params and checked
// against the operator's settings before anything is probed: an HTTP(S) URL
// or a TCP endpoint (exactly one), what counts as healthy, and how many
// times to try.
#pragma once

#include <chrono>
#include <string>
#include <tend/expected.hpp>
#include <tend/plugin.hpp>

#include "plugins/support/health_probe.h"
#include "plugins/support/probe_target.h"

namespace tend::health_check {

struct CheckRequest {
  plugins::ProbeTarget target;
  plugins::ProbeOptions options;
  int retries = 0;  // further tries after a failed one

  // "GET http://127.0.0.1:8080/health expecting 200 within 250 ms", for a dry run.
  std::string describe() const;
};

// The request, or an error naming the param or setting to fix.
Expected<CheckRequest> read_request(const sdk::Context& ctx);

}  // namespace tend::health_check
