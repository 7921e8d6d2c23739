#include "core/agent/agent_config.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "bus/names.h"
#include "core/common/byte_size.h"
#include "core/common/duration.h"

namespace tend {
namespace {

std::string short_hostname() {
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "";
  std::string name(buf);
  return name.substr(0, name.find('.'));
}

Error in_file(const std::string& path, const std::string& problem) {
  return make_error(fmt::format("{}: {}", path, problem));
}

template <typename T>
Expected<T> optional_value(const toml::table& doc, std::string_view section, std::string_view key,
                           T fallback, std::string_view expected, const std::string& path) {
  const auto* node = doc.at_path(fmt::format("{}.{}", section, key)).node();
  if (node == nullptr) return fallback;
  auto value = node->value<T>();
  if (!value) {
    return in_file(path, fmt::format("[{}] {} must be {} (line {})", section, key, expected,
                                     node->source().begin.line));
  }
  return *value;
}

// A size key may be a number of bytes or a string such as "1GiB".
Expected<uint64_t> optional_size(const toml::table& doc, std::string_view key, uint64_t fallback,
                                 const std::string& path) {
  const auto* node = doc.at_path(fmt::format("plugins.{}", key)).node();
  if (node == nullptr) return fallback;
  if (auto n = node->value<int64_t>(); n && *n >= 0) return static_cast<uint64_t>(*n);
  if (auto text = node->value<std::string>()) {
    auto size = parse_byte_size(*text);
    if (size) return *size;
    return in_file(path, fmt::format("[plugins] {}: {}", key, size.error().message));
  }
  return in_file(path, fmt::format("[plugins] {} must be a size such as \"1GiB\"", key));
}

// A duration key may be a number of seconds or a string such as "5m".
Expected<std::chrono::seconds> optional_duration(const toml::table& doc, std::string_view key,
                                                 std::chrono::seconds fallback,
                                                 const std::string& path) {
  const auto* node = doc.at_path(fmt::format("plugins.{}", key)).node();
  if (node == nullptr) return fallback;
  if (auto n = node->value<int64_t>(); n && *n >= 0) return std::chrono::seconds(*n);
  if (auto text = node->value<std::string>()) {
    auto d = parse_duration(*text);
    if (d) return *d;
    return in_file(path, fmt::format("[plugins] {}: {}", key, d.error().message));
  }
  return in_file(path, fmt::format("[plugins] {} must be a duration such as \"5m\"", key));
}

Expected<IsolationConfig> read_isolation(const toml::table& doc, const std::string& path) {
  IsolationConfig iso;
  auto runner = optional_value<std::string>(doc, "plugins", "runner", "", "a path", path);
  if (!runner) return runner.error();
  iso.runner_path = *runner;
  auto memory = optional_size(doc, "memory_limit", iso.memory_limit_bytes, path);
  if (!memory) return memory.error();
  iso.memory_limit_bytes = *memory;
  auto output = optional_size(doc, "output_limit", iso.output_limit_bytes, path);
  if (!output) return output.error();
  iso.output_limit_bytes = *output;
  auto cpu = optional_duration(doc, "cpu_limit", std::chrono::seconds(iso.cpu_limit_s), path);
  if (!cpu) return cpu.error();
  iso.cpu_limit_s = static_cast<uint64_t>(cpu->count());
  auto grace = optional_duration(
      doc, "kill_grace", std::chrono::duration_cast<std::chrono::seconds>(iso.kill_grace), path);
  if (!grace) return grace.error();
  iso.kill_grace = *grace;
  auto files =
      optional_value<int64_t>(doc, "plugins", "open_files_limit",
                              static_cast<int64_t>(iso.open_files_limit), "a whole number", path);
  if (!files) return files.error();
  if (*files < 16) return in_file(path, "[plugins] open_files_limit must be at least 16");
  iso.open_files_limit = static_cast<uint64_t>(*files);
  auto spares = optional_value<int64_t>(doc, "plugins", "spare_runners", iso.spare_runners,
                                        "a whole number", path);
  if (!spares) return spares.error();
  if (*spares < 0 || *spares > 64) {
    return in_file(path, "[plugins] spare_runners must be between 0 and 64");
  }
  iso.spare_runners = static_cast<unsigned>(*spares);
  auto per_plugin = optional_value<int64_t>(doc, "plugins", "max_concurrent_per_plugin",
                                            iso.max_concurrent_per_plugin, "a whole number", path);
  if (!per_plugin) return per_plugin.error();
  if (*per_plugin < 0 || *per_plugin > 256) {
    return in_file(path, "[plugins] max_concurrent_per_plugin must be between 0 and 256");
  }
  iso.max_concurrent_per_plugin = static_cast<unsigned>(*per_plugin);
  return iso;
}

}  // namespace

Expected<AgentConfig> read_agent_config(const toml::table& doc, const std::string& path) {
  AgentConfig config;

  auto host =
      optional_value<std::string>(doc, "identity", "hostname", short_hostname(), "a string", path);
  if (!host) return host.error();
  config.identity.host = *host;
  if (auto ok = check_name("hostname", config.identity.host); !ok) {
    return in_file(path, ok.error().message + " (set [identity] hostname)");
  }

  auto role = optional_value<std::string>(doc, "identity", "role", "", "a string", path);
  if (!role) return role.error();
  config.identity.role = *role;
  if (config.identity.role.empty()) return in_file(path, "[identity] role is required");
  if (auto ok = check_name("role", config.identity.role); !ok) {
    return in_file(path, ok.error().message);
  }

  if (const auto* tags = doc.at_path("identity.tags").node()) {
    const auto* list = tags->as_array();
    if (list == nullptr) return in_file(path, "[identity] tags must be a list of strings");
    for (const auto& t : *list) {
      auto tag = t.value<std::string>();
      if (!tag) return in_file(path, "[identity] tags must be a list of strings");
      if (auto ok = check_name("tag", *tag); !ok) return in_file(path, ok.error().message);
      config.identity.tags.push_back(*tag);
    }
  }

  auto nats = read_nats_config(doc);
  if (!nats) return in_file(path, nats.error().message);
  config.nats = *nats;

  auto dir = optional_value<std::string>(doc, "plugins", "dir", config.plugin_dir, "a path", path);
  if (!dir) return dir.error();
  config.plugin_dir = *dir;

  auto concurrent = optional_value<int64_t>(doc, "plugins", "max_concurrent", config.max_concurrent,
                                            "a whole number", path);
  if (!concurrent) return concurrent.error();
  if (*concurrent < 1 || *concurrent > 256) {
    return in_file(path, "[plugins] max_concurrent must be between 1 and 256");
  }
  config.max_concurrent = static_cast<unsigned>(*concurrent);

  auto isolation = read_isolation(doc, path);
  if (!isolation) return isolation.error();
  config.isolation = *isolation;

  auto settings = read_plugin_settings(doc, path);
  if (!settings) return settings.error();
  config.plugin_settings = std::move(*settings);

  auto interval = optional_value<int64_t>(
      doc, "heartbeat", "interval_s", config.heartbeat_interval.count(), "a whole number", path);
  if (!interval) return interval.error();
  if (*interval < 1 || *interval > 3600) {
    return in_file(path, "[heartbeat] interval_s must be between 1 and 3600");
  }
  config.heartbeat_interval = std::chrono::seconds(*interval);

  auto metrics = read_metrics_config(doc);
  if (!metrics) return in_file(path, metrics.error().message);
  config.metrics = *metrics;

  auto maintenance = MaintenancePolicy::read(doc, path);
  if (!maintenance) return maintenance.error();
  config.maintenance = std::move(*maintenance);

  auto level = optional_value<std::string>(doc, "log", "level", config.log_level, "a string", path);
  if (!level) return level.error();
  config.log_level = *level;
  return config;
}

Expected<AgentConfig> load_agent_config(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return make_error(path + ": no such config file");
  auto doc = parse_toml_file(path);
  if (!doc) return doc.error();
  return read_agent_config(*doc, path);
}

}  // namespace tend
