#include "core/agent/plugin_settings.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bus/names.h"

namespace tend {
namespace {

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

Expected<PluginSettings> read_one(const toml::table& table, std::string_view plugin,
                                  const std::string& path) {
  PluginSettings settings;
  for (const auto& [key, node] : table) {
    SettingValue value;
    if (const auto* list = node.as_array()) {
      value.is_list = true;
      for (const auto& item : *list) {
        auto text = scalar_text(item);
        if (!text) return bad_value(path, plugin, key.str(), item);
        value.items.push_back(std::move(*text));
      }
    } else if (auto text = scalar_text(node)) {
      value.items.push_back(std::move(*text));
    } else {
      return bad_value(path, plugin, key.str(), node);
    }
    settings.set(std::string(key.str()), std::move(value));
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
