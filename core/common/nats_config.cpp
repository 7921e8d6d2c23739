#include "core/common/nats_config.h"

#include <fmt/format.h>

#include <filesystem>

#include "bus/names.h"
#include "core/common/input_bounds.h"
#include "core/common/toml_bounds.h"

namespace tend {
namespace {

// A cluster is a handful of servers; a URL with credentials fits in 1 KiB.
constexpr size_t kMaxNatsServers = 32;
constexpr size_t kMaxNatsUrlBytes = 1024;

}  // namespace

Expected<toml::table> parse_toml_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) {
    if (auto ok = check_bytes(path, size, kMaxConfigFileBytes); !ok) return ok.error();
  }
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    return make_error(fmt::format("{}:{}:{}: {}", path, where.line, where.column, e.description()));
  }
}

Expected<NatsConfig> read_nats_config(const toml::table& doc, const std::string& path) {
  NatsConfig config;
  const auto nats = TomlReader::section(doc, "nats", path);
  if (nats.node("servers") != nullptr) {
    auto servers = nats.strings("servers", kMaxNatsServers, kMaxNatsUrlBytes);
    if (!servers) return servers.error();
    if (servers->empty()) return nats.fail(*nats.node("servers"), "servers", "must be a non-empty list of URLs");
    config.servers = std::move(*servers);
  }
  auto prefix = nats.text("subject_prefix", config.subject_prefix);
  if (!prefix) return prefix.error();
  if (auto ok = check_name(nats.name("subject_prefix"), *prefix); !ok) {
    return nats.fail_at(nats.node("subject_prefix"), ok.error().message);
  }
  config.subject_prefix = *prefix;
  return config;
}

const TomlSection& nats_section() {
  static const TomlSection section{"nats", {"servers", "subject_prefix"}};
  return section;
}

ConnectionOptions connection_options(const NatsConfig& config, std::string client_name,
                                     bool retry_initial_connect) {
  ConnectionOptions options;
  options.servers = config.servers;
  options.name = std::move(client_name);
  options.retry_initial_connect = retry_initial_connect;
  return options;
}

}  // namespace tend
