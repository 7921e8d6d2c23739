#include "core/agent/config/agent_config.h"

#include <unistd.h>

#include <filesystem>
#include <limits>

#include "bus/names.h"
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

Expected<void> read_limits(const TomlReader& plugins, IsolationConfig& iso) {
  // 0 = none; less than 16 MiB cannot even load a plugin's libraries.
  auto memory = plugins.bytes("memory_limit", static_cast<int64_t>(iso.memory_limit_bytes), 0,
                              std::numeric_limits<int64_t>::max());
  if (!memory) return memory.error();
  if (*memory != 0) {
    if (auto ok = check_range(plugins.name("memory_limit"), *memory, 16 * kMiB, int64_t{1} << 40,
                              "bytes");
        !ok) {
      return plugins.fail_at(plugins.node("memory_limit"), ok.error().message + " (or 0 for none)");
    }
  }
  iso.memory_limit_bytes = static_cast<uint64_t>(*memory);
  // Both streams are kept, and the Result must fit one NATS message (1 MiB).
  auto output = plugins.bytes("output_limit", static_cast<int64_t>(iso.output_limit_bytes), 0,
                              256 * 1024);
  if (!output) return output.error();
  iso.output_limit_bytes = static_cast<uint64_t>(*output);
  // No task runs longer than a day (timeout_s), so neither does its CPU.
  auto cpu = plugins.seconds("cpu_limit", static_cast<int64_t>(iso.cpu_limit_s), 0, 86'400);
  if (!cpu) return cpu.error();
  iso.cpu_limit_s = static_cast<uint64_t>(*cpu);
  auto grace = plugins.seconds(
      "kill_grace", std::chrono::duration_cast<std::chrono::seconds>(iso.kill_grace).count(), 0,
      300);
  if (!grace) return grace.error();
  iso.kill_grace = std::chrono::seconds(*grace);
  auto files = plugins.whole("open_files_limit", static_cast<int64_t>(iso.open_files_limit), 16,
                             1'048'576);
  if (!files) return files.error();
  iso.open_files_limit = static_cast<uint64_t>(*files);
  return {};
}

Expected<IsolationConfig> read_isolation(const TomlReader& plugins) {
  IsolationConfig iso;
  auto runner = plugins.text("runner", "", kMaxPathBytes);
  if (!runner) return runner.error();
  iso.runner_path = *runner;
  if (auto ok = read_limits(plugins, iso); !ok) return ok.error();
  auto spares = plugins.whole("spare_runners", iso.spare_runners, 0, 64);
  if (!spares) return spares.error();
  iso.spare_runners = static_cast<unsigned>(*spares);
  auto per_plugin =
      plugins.whole("max_concurrent_per_plugin", iso.max_concurrent_per_plugin, 0, 256);
  if (!per_plugin) return per_plugin.error();
  iso.max_concurrent_per_plugin = static_cast<unsigned>(*per_plugin);
  return iso;
}

Expected<void> read_tags(const TomlReader& identity_table, NodeIdentity& identity) {
  auto tags = identity_table.strings("tags", kMaxTags, kMaxNameBytes);
  if (!tags) return tags.error();
  for (const auto& tag : *tags) {
    if (auto ok = check_name("tag", tag); !ok) {
      return identity_table.fail_at(identity_table.node("tags"), ok.error().message);
    }
  }
  identity.tags = std::move(*tags);
  return {};
}

Expected<NodeIdentity> read_identity(const toml::table& doc, const std::string& path) {
  const auto table = TomlReader::section(doc, "identity", path);
  NodeIdentity identity;
  auto host = table.text("hostname", short_hostname());
  if (!host) return host.error();
  identity.host = *host;
  if (auto ok = check_name("hostname", identity.host); !ok) {
    return table.fail_at(table.node("hostname"),
                         ok.error().message + " (set [identity] hostname)");
  }

  auto role = table.text("role", "");
  if (!role) return role.error();
  identity.role = *role;
  if (identity.role.empty()) return table.fail_at(nullptr, "[identity] role is required");
  if (auto ok = check_name("role", identity.role); !ok) {
    return table.fail_at(table.node("role"), ok.error().message);
  }

  if (auto ok = read_tags(table, identity); !ok) return ok.error();
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
  const auto plugins = TomlReader::section(doc, "plugins", path);
  auto dir = plugins.text("dir", config.plugin_dir, kMaxPathBytes);
  if (!dir) return dir.error();
  config.plugin_dir = *dir;
  auto concurrent = plugins.whole("max_concurrent", config.max_concurrent, 1, 256);
  if (!concurrent) return concurrent.error();
  config.max_concurrent = static_cast<unsigned>(*concurrent);
  auto queued = plugins.whole("max_queued", static_cast<int64_t>(config.max_queued), 1, 100'000);
  if (!queued) return queued.error();
  config.max_queued = static_cast<size_t>(*queued);
  auto isolation = read_isolation(plugins);
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

  auto nats = read_nats_config(doc, path);
  if (!nats) return nats.error();
  config.nats = *nats;

  if (auto ok = read_plugins(doc, path, config); !ok) return ok.error();

  auto interval = TomlReader::section(doc, "heartbeat", path)
                      .whole("interval_s", config.heartbeat_interval.count(), 1, 3600);
  if (!interval) return interval.error();
  config.heartbeat_interval = std::chrono::seconds(*interval);

  auto metrics = read_metrics_config(doc, path);
  if (!metrics) return metrics.error();
  config.metrics = *metrics;

  auto maintenance = MaintenancePolicy::read(doc, path);
  if (!maintenance) return maintenance.error();
  config.maintenance = std::move(*maintenance);

  auto level =
      TomlReader::section(doc, "log", path).text("level", config.log_level, kMaxLogLevelBytes);
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
