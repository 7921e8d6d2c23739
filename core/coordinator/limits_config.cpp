#include "core/coordinator/limits_config.h"

#include <algorithm>
#include <cstdint>

#include "core/common/toml_reader.h"

namespace tend {

Expected<CoordinatorLimits> read_limits(const toml::table& doc, const std::string& path) {
  CoordinatorLimits limits;
  const auto r = TomlReader::section(doc, "limits", path);
  auto in_flight =
      r.whole("max_in_flight", static_cast<int64_t>(limits.max_in_flight), 1, 1'000'000);
  if (!in_flight) return in_flight.error();
  limits.max_in_flight = static_cast<size_t>(*in_flight);
  auto nodes = r.whole("max_nodes", static_cast<int64_t>(limits.max_nodes), 1, 10'000'000);
  if (!nodes) return nodes.error();
  limits.max_nodes = static_cast<size_t>(*nodes);
  auto events =
      r.whole("max_queued_events", static_cast<int64_t>(limits.queue.max_events), 100, 10'000'000);
  if (!events) return events.error();
  limits.queue.max_events = static_cast<size_t>(*events);
  auto bytes = r.bytes("max_queued_bytes", static_cast<int64_t>(limits.queue.max_bytes), 1 << 20,
                       int64_t{16} << 30);
  if (!bytes) return bytes.error();
  limits.queue.max_bytes = static_cast<size_t>(*bytes);
  return limits;
}

Expected<HttpLimits> read_http_limits(const toml::table& doc, const std::string& path) {
  HttpLimits limits;
  const auto r = TomlReader::section(doc, "http", path);
  auto connections =
      r.whole("max_connections", static_cast<int64_t>(limits.max_connections), 2, 1024);
  if (!connections) return connections.error();
  limits.max_connections = static_cast<size_t>(*connections);
  limits.max_connections_per_client =
      std::min(limits.max_connections_per_client, limits.max_connections);
  // One client may not take every connection: the others need one too.
  auto per_client =
      r.whole("max_connections_per_client", static_cast<int64_t>(limits.max_connections_per_client),
              1, static_cast<int64_t>(limits.max_connections));
  if (!per_client) return per_client.error();
  limits.max_connections_per_client = static_cast<size_t>(*per_client);
  auto request = r.seconds("request_timeout", limits.request_timeout.count(), 1, 300);
  if (!request) return request.error();
  limits.request_timeout = std::chrono::seconds(*request);
  auto idle = r.seconds("keep_alive_timeout", limits.keep_alive_timeout.count(), 1, 300);
  if (!idle) return idle.error();
  limits.keep_alive_timeout = std::chrono::seconds(*idle);
  auto requests = r.whole("keep_alive_max_requests",
                          static_cast<int64_t>(limits.keep_alive_max_requests), 1, 100'000);
  if (!requests) return requests.error();
  limits.keep_alive_max_requests = static_cast<size_t>(*requests);
  return limits;
}

}  // namespace tend
