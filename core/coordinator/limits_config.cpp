#include "core/coordinator/limits_config.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "core/common/byte_size.h"
#include "core/common/duration.h"
#include "core/common/input_bounds.h"

namespace tend {
namespace {

// One section's bounded numbers, each refusal naming file, line and key.
class BoundReader {
 public:
  BoundReader(const toml::table& doc, std::string_view section, const std::string& path)
      : table_(doc.get_as<toml::table>(section)), section_(section), path_(path) {}

  // A whole number.
  Expected<int64_t> count(std::string_view key, int64_t fallback, int64_t min, int64_t max) const {
    const auto* n = node(key);
    if (n == nullptr) return fallback;
    auto v = n->value_exact<int64_t>();
    if (!v) return fail(*n, fmt::format("{} must be a whole number", name(key)));
    return in_range(*n, key, *v, min, max, "");
  }

  // A duration: "10s", "5m", or a whole number of seconds.
  Expected<int64_t> seconds(std::string_view key, int64_t fallback, int64_t min,
                            int64_t max) const {
    const auto* n = node(key);
    if (n == nullptr) return fallback;
    auto v = read_seconds(*n);
    if (!v) return fail(*n, fmt::format("{}: {}", name(key), v.error().message));
    return in_range(*n, key, *v, min, max, "s");
  }

  // A size: "256MiB", or a whole number of bytes.
  Expected<int64_t> bytes(std::string_view key, int64_t fallback, int64_t min, int64_t max) const {
    const auto* n = node(key);
    if (n == nullptr) return fallback;
    Expected<uint64_t> v = make_error("must be a size such as \"256MiB\"");
    if (auto i = n->value_exact<int64_t>(); i && *i >= 0) v = static_cast<uint64_t>(*i);
    if (auto s = n->value_exact<std::string>()) v = parse_byte_size(*s);
    if (!v) return fail(*n, fmt::format("{}: {}", name(key), v.error().message));
    const auto shown = static_cast<int64_t>(std::min<uint64_t>(*v, INT64_MAX));
    return in_range(*n, key, shown, min, max, "bytes");
  }

 private:
  const toml::node* node(std::string_view key) const {
    return table_ == nullptr ? nullptr : table_->get(key);
  }
  std::string name(std::string_view key) const { return fmt::format("[{}] {}", section_, key); }
  Error fail(const toml::node& n, const std::string& problem) const {
    return make_error(fmt::format("{}:{}: {}", path_, n.source().begin.line, problem));
  }
  Expected<int64_t> in_range(const toml::node& n, std::string_view key, int64_t value, int64_t min,
                             int64_t max, std::string_view unit) const {
    if (auto ok = check_range(name(key), value, min, max, unit); !ok) {
      return fail(n, ok.error().message);
    }
    return value;
  }
  static Expected<int64_t> read_seconds(const toml::node& n) {
    if (auto i = n.value_exact<int64_t>()) return *i;
    auto s = n.value_exact<std::string>();
    if (!s) return make_error("must be a duration such as \"10s\" or \"5m\"");
    auto d = parse_duration(*s);
    if (!d) return d.error();
    return static_cast<int64_t>(d->count());
  }

  const toml::table* table_;
  std::string_view section_;
  const std::string& path_;
};

}  // namespace

Expected<CoordinatorLimits> read_limits(const toml::table& doc, const std::string& path) {
  CoordinatorLimits limits;
  BoundReader r(doc, "limits", path);
  auto in_flight =
      r.count("max_in_flight", static_cast<int64_t>(limits.max_in_flight), 1, 1'000'000);
  if (!in_flight) return in_flight.error();
  limits.max_in_flight = static_cast<size_t>(*in_flight);
  auto nodes = r.count("max_nodes", static_cast<int64_t>(limits.max_nodes), 1, 10'000'000);
  if (!nodes) return nodes.error();
  limits.max_nodes = static_cast<size_t>(*nodes);
  auto events =
      r.count("max_queued_events", static_cast<int64_t>(limits.queue.max_events), 100, 10'000'000);
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
  BoundReader r(doc, "http", path);
  auto connections =
      r.count("max_connections", static_cast<int64_t>(limits.max_connections), 2, 1024);
  if (!connections) return connections.error();
  limits.max_connections = static_cast<size_t>(*connections);
  limits.max_connections_per_client =
      std::min(limits.max_connections_per_client, limits.max_connections);
  // One client may not take every connection: the others need one too.
  auto per_client =
      r.count("max_connections_per_client", static_cast<int64_t>(limits.max_connections_per_client),
              1, static_cast<int64_t>(limits.max_connections));
  if (!per_client) return per_client.error();
  limits.max_connections_per_client = static_cast<size_t>(*per_client);
  auto request = r.seconds("request_timeout", limits.request_timeout.count(), 1, 300);
  if (!request) return request.error();
  limits.request_timeout = std::chrono::seconds(*request);
  auto idle = r.seconds("keep_alive_timeout", limits.keep_alive_timeout.count(), 1, 300);
  if (!idle) return idle.error();
  limits.keep_alive_timeout = std::chrono::seconds(*idle);
  auto requests = r.count("keep_alive_max_requests",
                          static_cast<int64_t>(limits.keep_alive_max_requests), 1, 100'000);
  if (!requests) return requests.error();
  limits.keep_alive_max_requests = static_cast<size_t>(*requests);
  return limits;
}

}  // namespace tend
