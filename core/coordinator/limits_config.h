// coordinator.toml's bounds on what the coordinator holds at once ([limits])
// and on its HTTP listener ([http] beside listen). Each has a default that
// suits a fleet of thousands; past a bound the coordinator refuses ("busy")
// rather than grow without end. Every key is in etc/coordinator.toml's
// "Limits" table.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "bus/expected.h"
#include "core/common/event_queue.h"

namespace tend {

struct CoordinatorLimits {
  // Tasks followed at once (submits, direct, alert fixes, maintenance
  // batches); a submit beyond is refused "coordinator busy: ...".
  size_t max_in_flight = 10'000;
  // Nodes in the registry; heartbeats of further new hosts are ignored.
  size_t max_nodes = 100'000;
  // Each of the coordinator's event queues (event loop, alert loop,
  // scheduler): messages from NATS and HTTP beyond it are refused.
  QueueLimits queue;
};

// The webhook's listener: a slow or hostile client may hold a connection,
// never the listener.
struct HttpLimits {
  size_t max_connections = 64;                 // open at once; beyond, 503 and closed
  size_t max_connections_per_client = 8;       // from one address
  std::chrono::seconds request_timeout{10};    // to send one whole request, headers and body
  std::chrono::seconds keep_alive_timeout{5};  // idle between requests on one connection
  size_t keep_alive_max_requests = 100;        // then the connection is closed
};

// [limits]; absent keys keep their defaults. Errors name file, line, key
// and the allowed range.
Expected<CoordinatorLimits> read_limits(const toml::table& doc, const std::string& path);

// [http] max_connections, max_connections_per_client, request_timeout,
// keep_alive_timeout, keep_alive_max_requests.
Expected<HttpLimits> read_http_limits(const toml::table& doc, const std::string& path);

}  // namespace tend
