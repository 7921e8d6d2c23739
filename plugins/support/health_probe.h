// One health probe, bounded in time: an HTTP(S) GET that must answer with an
// expected status (and optionally contain a text), or a TCP connect that must
// be accepted; either within an optional latency bound.
//
// HTTP goes through cpp-httplib (Debian's libcpp-httplib, built with
// OpenSSL): no proxy, no redirects followed (a 301 is what the service
// answered, and is reported as such), server certificates verified against
// the system's CAs or `ca_file`. The probe stops at its timeout or soon after
// `cancelled` turns true while the answer is being read; connecting and
// waiting for the status line are bounded by the timeout alone.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "plugins/support/probe_target.h"

namespace tend::plugins {

struct ProbeOptions {
  std::chrono::milliseconds timeout{5000};
  int expect_status = 200;  // HTTP only
  std::string contains;     // HTTP only: a text the body must hold
  std::optional<std::chrono::milliseconds> max_latency;
  std::string ca_file;  // HTTPS only: a PEM bundle; empty: the system's
};

// Bodies are read up to this size for `contains`; the rest is not looked at.
inline constexpr size_t kProbeBodyLimit = 1024 * 1024;

struct ProbeResult {
  bool ok = false;
  bool answered = false;  // HTTP: a status line came back; TCP: the connection was accepted
  int status = 0;         // HTTP status when answered
  std::chrono::microseconds latency{0};  // until the whole answer (HTTP) or the connect (TCP)
  std::string reason;                    // why it is not ok: "answered 500, expected 200"

  double latency_ms() const { return static_cast<double>(latency.count()) / 1000.0; }
  // "answered 200 in 3.1 ms", "connected in 0.2 ms", or the reason.
  std::string describe() const;
};

ProbeResult probe(const ProbeTarget& target, const ProbeOptions& options,
                  const std::function<bool()>& cancelled = {});

// "3.1 ms", "250 ms": latencies as people read them.
std::string format_latency(std::chrono::microseconds latency);

}  // namespace tend::plugins
