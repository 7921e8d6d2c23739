#include "core/agent/plugin_host/plugin_settings.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bus/names.h"
#include "core/common/input_bounds.h"

namespace tend {
namespace {

// Settings are the operator's own, but every task carries its plugin's
// table to the runner: bounded like params (core/common/param_bounds.h).
constexpr size_t kMaxSettingTables = 256;
constexpr size_t kMaxSettingKeys = 256;
constexpr size_t kMaxSettingItems = 1024;
constexpr size_t kMaxSettingBytes = 4096;

// Numbers and booleans in the text form a plugin parses back.
std::optional<std::string> scalar_text(const toml::node& node) {
  if (auto s = node.value_exact<std::string>()) return *s;
  if (auto i = node.value_exact<int64_t>()) return std::to_string(*i);
  if (auto b = node.value_exact<bool>()) return std::string(*b ? "true" : "false");
  if (auto d = node.value_exact<double>()) return fmt::format("{}", *d);
  return std::nullopt;
}

Error bad_value(const std::string& path, std::string_view plugin, std::string_view key,
                const toml::node& node) {
  return make_error(
      fmt::format("{}:{}: [plugin.{}] {} must be a string, number, boolean or a list of those",
                  path, node.source().begin.line, plugin, key));
}

// "agent.toml:7: [plugin.exec] commands has 2000 items; the limit is 1024".
Error out_of_bounds(const std::string& path, const toml::node& node, std::string_view plugin,
                    const Error& error) {
  return make_error(
      fmt::format("{}:{}: [plugin.{}] {}", path, node.source().begin.line, plugin, error.message));
}

Expected<std::string> bounded_scalar(const toml::node& node, std::string_view what,
                                     const std::string& path, std::string_view plugin) {
  auto text = scalar_text(node);
  if (!text) return bad_value(path, plugin, what, node);
  if (auto ok = check_bytes(what, text->size(), kMaxSettingBytes); !ok) {
    return out_of_bounds(path, node, plugin, ok.error());
  }
  return std::move(*text);
}

Expected<SettingValue> read_value(const toml::node& node, std::string_view key,
                                  std::string_view plugin, const std::string& path) {
  SettingValue value;
  const auto* list = node.as_array();
  if (list == nullptr) {
    auto text = bounded_scalar(node, key, path, plugin);
    if (!text) return text.error();
    value.items.push_back(std::move(*text));
    return value;
  }
  value.is_list = true;
  if (auto ok = check_items(key, list->size(), kMaxSettingItems); !ok) {
    return out_of_bounds(path, node, plugin, ok.error());
  }
  for (const auto& item : *list) {
    auto text =
        bounded_scalar(item, fmt::format("{} item {}", key, value.items.size() + 1), path, plugin);
    if (!text) return text.error();
    value.items.push_back(std::move(*text));
  }
  return value;
}

Expected<PluginSettings> read_one(const toml::table& table, std::string_view plugin,
                                  const std::string& path) {
  PluginSettings settings;
  if (auto ok = check_items("table", table.size(), kMaxSettingKeys); !ok) {
    return out_of_bounds(path, table, plugin, ok.error());
  }
  for (const auto& [key, node] : table) {
    if (auto ok = check_bytes("key", key.str().size(), kMaxNameBytes); !ok) {
      return out_of_bounds(path, node, plugin, ok.error());
    }
    auto value = read_value(node, key.str(), plugin, path);
    if (!value) return value.error();
    settings.set(std::string(key.str()), std::move(*value));
  }
  return settings;
}

}  // namespace

std::string SettingValue::text() const { return fmt::format("{}", fmt::join(items, ",")); }

void PluginSettings::set(std::string key, SettingValue value) {
  values_[std::move(key)] = std::move(value);
}

const SettingValue* PluginSettings::find(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

void PluginSettings::to_proto(google::protobuf::Map<std::string, tend::PluginSetting>& out) const {
  for (const auto& [key, value] : values_) {
    tend::PluginSetting& setting = out[key];
    setting.set_is_list(value.is_list);
    for (const auto& item : value.items) setting.add_items(item);
  }
}

PluginSettings PluginSettings::from_proto(
    const google::protobuf::Map<std::string, tend::PluginSetting>& in) {
  PluginSettings settings;
  for (const auto& [key, setting] : in) {
    SettingValue value;
    value.is_list = setting.is_list();
    value.items.assign(setting.items().begin(), setting.items().end());
    if (!value.is_list && value.items.size() != 1) value.items.resize(1);
    settings.set(key, std::move(value));
  }
  return settings;
}

Expected<SettingsByPlugin> read_plugin_settings(const toml::table& doc, const std::string& path) {
  SettingsByPlugin all;
  const auto* section = doc.get("plugin");
  if (section == nullptr) return all;
  const auto* plugins = section->as_table();
  if (plugins == nullptr) {
    return make_error(fmt::format("{}:{}: 'plugin' must hold tables such as [plugin.disk-cleanup]",
                                  path, section->source().begin.line));
  }
  if (auto ok = check_items("[plugin.*] tables", plugins->size(), kMaxSettingTables); !ok) {
    return make_error(
        fmt::format("{}:{}: {}", path, section->source().begin.line, ok.error().message));
  }
  for (const auto& [name, node] : *plugins) {
    const auto* table = node.as_table();
    if (table == nullptr) {
      return make_error(fmt::format("{}:{}: plugin.{} must be a table, [plugin.{}]", path,
                                    node.source().begin.line, name.str(), name.str()));
    }
    if (auto ok = check_name("plugin name", name.str()); !ok) {
      return make_error(fmt::format("{}:{}: [plugin.{}]: {}", path, node.source().begin.line,
                                    name.str(), ok.error().message));
    }
    auto settings = read_one(*table, name.str(), path);
    if (!settings) return settings.error();
    all.emplace(std::string(name.str()), std::move(*settings));
  }
  return all;
}

}  // namespace tend
