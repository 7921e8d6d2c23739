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

Expected<NatsConfig> read_nats_config(const toml::table& doc) {
  NatsConfig config;
  const auto* nats = doc["nats"].as_table();
  if (nats == nullptr) return config;
  if (const auto* servers = (*nats)["servers"].node()) {
    const auto* list = servers->as_array();
    if (list == nullptr || list->empty()) {
      return make_error("[nats] servers must be a non-empty list of URLs");
    }
    if (auto ok = check_items("[nats] servers", list->size(), kMaxNatsServers); !ok)
      return ok.error();
    config.servers.clear();
    for (const auto& s : *list) {
      auto url = s.value<std::string>();
      if (!url)
        return make_error("[nats] servers must hold strings such as \"nats://127.0.0.1:4222\"");
      if (auto ok = check_bytes(fmt::format("[nats] servers item {}", config.servers.size() + 1),
                                url->size(), kMaxNatsUrlBytes);
          !ok) {
        return ok.error();
      }
      config.servers.push_back(*url);
    }
  }
  if (const auto* prefix = (*nats)["subject_prefix"].node()) {
    auto value = prefix->value<std::string>();
    if (!value) return make_error("[nats] subject_prefix must be a string");
    if (auto ok = check_name("[nats] subject_prefix", *value); !ok) return ok.error();
    config.subject_prefix = *value;
  }
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
