#include "core/agent/config/agent_config.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "bus/names.h"
#include "core/common/byte_size.h"
#include "core/common/duration.h"
#include "core/common/input_bounds.h"
#include "core/common/toml_reader.h"

namespace tend {
namespace {

// The bounds of agent.toml (README, "Limits"). A value outside them is
// refused at start, naming the key and the limit.
constexpr size_t kMaxTags = 32;         // one subscription each
constexpr size_t kMaxPathBytes = 4096;  // PATH_MAX
constexpr size_t kMaxLogLevelBytes = 16;
constexpr int64_t kMiB = 1024 * 1024;

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

// A whole number in [min, max]: "[plugins] max_concurrent 300 is out of
// range: use 1 to 256".
Expected<int64_t> bounded_int(const toml::table& doc, std::string_view section,
                              std::string_view key, int64_t fallback, int64_t min, int64_t max,
                              const std::string& path) {
  auto value = optional_value<int64_t>(doc, section, key, fallback, "a whole number", path);
  if (!value) return value.error();
  if (auto ok = check_range(fmt::format("[{}] {}", section, key), *value, min, max, ""); !ok) {
    return in_file(path, ok.error().message);
  }
  return value;
}

// A string of at most `limit` bytes.
Expected<std::string> bounded_string(const toml::table& doc, std::string_view section,
                                     std::string_view key, std::string fallback,
                                     std::string_view expected, size_t limit,
                                     const std::string& path) {
  auto value = optional_value<std::string>(doc, section, key, std::move(fallback), expected, path);
  if (!value) return value.error();
  if (auto ok = check_bytes(fmt::format("[{}] {}", section, key), value->size(), limit); !ok) {
    return in_file(path, ok.error().message);
  }
  return value;
}

int64_t as_signed(uint64_t n) {
  return static_cast<int64_t>(std::min<uint64_t>(n, std::numeric_limits<int64_t>::max()));
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

// A size in [min, max] bytes, or 0 when `zero_allowed` ("no limit").
Expected<uint64_t> bounded_size(const toml::table& doc, std::string_view key, uint64_t fallback,
                                int64_t min, int64_t max, bool zero_allowed,
                                const std::string& path) {
  auto size = optional_size(doc, key, fallback, path);
  if (!size || (*size == 0 && zero_allowed)) return size;
  if (auto ok = check_range(fmt::format("[plugins] {}", key), as_signed(*size), min, max, "bytes");
      !ok) {
    return in_file(path, ok.error().message + (zero_allowed ? " (or 0 for none)" : ""));
  }
  return size;
}

// A duration key may be a number of seconds or a string such as "5m"; it
// must lie in [0, max_s].
Expected<std::chrono::seconds> bounded_duration(const toml::table& doc, std::string_view key,
                                                std::chrono::seconds fallback, int64_t max_s,
                                                const std::string& path) {
  const auto* node = doc.at_path(fmt::format("plugins.{}", key)).node();
  if (node == nullptr) return fallback;
  std::chrono::seconds value{};
  if (auto n = node->value<int64_t>(); n && *n >= 0) {
    value = std::chrono::seconds(*n);
  } else if (auto text = node->value<std::string>()) {
    auto d = parse_duration(*text);
    if (!d) return in_file(path, fmt::format("[plugins] {}: {}", key, d.error().message));
    value = *d;
  } else {
    return in_file(path, fmt::format("[plugins] {} must be a duration such as \"5m\"", key));
  }
  if (auto ok = check_range(fmt::format("[plugins] {}", key), value.count(), 0, max_s, "s"); !ok) {
    return in_file(path, ok.error().message);
  }
  return value;
}

Expected<void> read_limits(const toml::table& doc, const std::string& path, IsolationConfig& iso) {
  // 0 = none; less than 16 MiB cannot even load a plugin's libraries.
  auto memory = bounded_size(doc, "memory_limit", iso.memory_limit_bytes, 16 * kMiB,
                             int64_t{1} << 40, /*zero_allowed=*/true, path);
  if (!memory) return memory.error();
  iso.memory_limit_bytes = *memory;
  // Both streams are kept, and the Result must fit one NATS message (1 MiB).
  auto output = bounded_size(doc, "output_limit", iso.output_limit_bytes, 0, 256 * 1024,
                             /*zero_allowed=*/false, path);
  if (!output) return output.error();
  iso.output_limit_bytes = *output;
  // No task runs longer than a day (timeout_s), so neither does its CPU.
  auto cpu =
      bounded_duration(doc, "cpu_limit", std::chrono::seconds(iso.cpu_limit_s), 86'400, path);
  if (!cpu) return cpu.error();
  iso.cpu_limit_s = static_cast<uint64_t>(cpu->count());
  auto grace =
      bounded_duration(doc, "kill_grace",
                       std::chrono::duration_cast<std::chrono::seconds>(iso.kill_grace), 300, path);
  if (!grace) return grace.error();
  iso.kill_grace = *grace;
  auto files = bounded_int(doc, "plugins", "open_files_limit",
                           static_cast<int64_t>(iso.open_files_limit), 16, 1'048'576, path);
  if (!files) return files.error();
  iso.open_files_limit = static_cast<uint64_t>(*files);
  return {};
}

Expected<IsolationConfig> read_isolation(const toml::table& doc, const std::string& path) {
  IsolationConfig iso;
  auto runner = bounded_string(doc, "plugins", "runner", "", "a path", kMaxPathBytes, path);
  if (!runner) return runner.error();
  iso.runner_path = *runner;
  if (auto ok = read_limits(doc, path, iso); !ok) return ok.error();
  auto spares = bounded_int(doc, "plugins", "spare_runners", iso.spare_runners, 0, 64, path);
  if (!spares) return spares.error();
  iso.spare_runners = static_cast<unsigned>(*spares);
  auto per_plugin = bounded_int(doc, "plugins", "max_concurrent_per_plugin",
                                iso.max_concurrent_per_plugin, 0, 256, path);
  if (!per_plugin) return per_plugin.error();
  iso.max_concurrent_per_plugin = static_cast<unsigned>(*per_plugin);
  return iso;
}

Expected<void> read_tags(const toml::table& doc, const std::string& path, NodeIdentity& identity) {
  const auto* tags = doc.at_path("identity.tags").node();
  if (tags == nullptr) return {};
  const auto* list = tags->as_array();
  if (list == nullptr) return in_file(path, "[identity] tags must be a list of strings");
  if (auto ok = check_items("[identity] tags", list->size(), kMaxTags); !ok) {
    return in_file(path, ok.error().message);
  }
  for (const auto& t : *list) {
    auto tag = t.value<std::string>();
    if (!tag) return in_file(path, "[identity] tags must be a list of strings");
    if (auto ok = check_name("tag", *tag); !ok) return in_file(path, ok.error().message);
    identity.tags.push_back(*tag);
  }
  return {};
}

Expected<NodeIdentity> read_identity(const toml::table& doc, const std::string& path) {
  NodeIdentity identity;
  auto host =
      optional_value<std::string>(doc, "identity", "hostname", short_hostname(), "a string", path);
  if (!host) return host.error();
  identity.host = *host;
  if (auto ok = check_name("hostname", identity.host); !ok) {
    return in_file(path, ok.error().message + " (set [identity] hostname)");
  }

  auto role = optional_value<std::string>(doc, "identity", "role", "", "a string", path);
  if (!role) return role.error();
  identity.role = *role;
  if (identity.role.empty()) return in_file(path, "[identity] role is required");
  if (auto ok = check_name("role", identity.role); !ok) return in_file(path, ok.error().message);

  if (auto ok = read_tags(doc, path, identity); !ok) return ok.error();
  return identity;
}

// Every section of agent.toml and the keys its reader reads: any other key
// is refused, because it is nearly always a typo.
const std::vector<TomlSection>& known_sections() {
  static const std::vector<TomlSection> sections{
      {"identity", {"hostname", "role", "tags"}},
      nats_section(),
      {"plugins",
       {"dir", "max_concurrent", "max_queued", "max_concurrent_per_plugin", "runner",
        "memory_limit", "cpu_limit", "open_files_limit", "kill_grace", "output_limit",
        "spare_runners"}},
      {"plugin", {}, TomlSection::Form::kOpen},  // [plugin.NAME]: each plugin's own settings
      {"heartbeat", {"interval_s"}},
      metrics_section(),
      maintenance_section(),
      {"log", {"level"}},
  };
  return sections;
}

Expected<void> read_plugins(const toml::table& doc, const std::string& path, AgentConfig& config) {
  auto dir =
      bounded_string(doc, "plugins", "dir", config.plugin_dir, "a path", kMaxPathBytes, path);
  if (!dir) return dir.error();
  config.plugin_dir = *dir;
  auto concurrent =
      bounded_int(doc, "plugins", "max_concurrent", config.max_concurrent, 1, 256, path);
  if (!concurrent) return concurrent.error();
  config.max_concurrent = static_cast<unsigned>(*concurrent);
  auto queued = bounded_int(doc, "plugins", "max_queued", static_cast<int64_t>(config.max_queued),
                            1, 100'000, path);
  if (!queued) return queued.error();
  config.max_queued = static_cast<size_t>(*queued);
  auto isolation = read_isolation(doc, path);
  if (!isolation) return isolation.error();
  config.isolation = *isolation;
  auto settings = read_plugin_settings(doc, path);
  if (!settings) return settings.error();
  config.plugin_settings = std::move(*settings);
  return {};
}

}  // namespace

Expected<AgentConfig> read_agent_config(const toml::table& doc, const std::string& path) {
  if (auto ok = refuse_unknown_entries(doc, known_sections(), path); !ok) return ok.error();
  AgentConfig config;
  auto identity = read_identity(doc, path);
  if (!identity) return identity.error();
  config.identity = std::move(*identity);

  auto nats = read_nats_config(doc);
  if (!nats) return in_file(path, nats.error().message);
  config.nats = *nats;

  if (auto ok = read_plugins(doc, path, config); !ok) return ok.error();

  auto interval =
      bounded_int(doc, "heartbeat", "interval_s", config.heartbeat_interval.count(), 1, 3600, path);
  if (!interval) return interval.error();
  config.heartbeat_interval = std::chrono::seconds(*interval);

  auto metrics = read_metrics_config(doc);
  if (!metrics) return in_file(path, metrics.error().message);
  config.metrics = *metrics;

  auto maintenance = MaintenancePolicy::read(doc, path);
  if (!maintenance) return maintenance.error();
  config.maintenance = std::move(*maintenance);

  auto level =
      bounded_string(doc, "log", "level", config.log_level, "a string", kMaxLogLevelBytes, path);
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
