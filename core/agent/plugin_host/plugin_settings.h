// What the operator set for each plugin in agent.toml, [plugin.<name>]:
// allow-lists, roots, commands — the things a task must not be able to choose
// for itself. The agent reads them with its config and hands the plugin's own
// table to the runner with each task; the plugin reads them through
// callback_setting_* (Context::setting in the C++ SDK).
//
//   [plugin.disk-cleanup]
//   log_dirs = ["/var/log"]
//   max_files = 10000
#pragma once

#include <toml++/toml.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"
#include "schemas/runner.pb.h"

namespace tend {

// A scalar keeps its text form as its one item; a list keeps each item.
struct SettingValue {
  std::vector<std::string> items;
  bool is_list = false;

  // The scalar's text, or a list's items joined with ','.
  std::string text() const;
};

class PluginSettings {
 public:
  void set(std::string key, SettingValue value);
  const SettingValue* find(std::string_view key) const;
  bool empty() const { return values_.empty(); }
  const std::map<std::string, SettingValue, std::less<>>& values() const { return values_; }

  void to_proto(google::protobuf::Map<std::string, tend::PluginSetting>& out) const;
  static PluginSettings from_proto(
      const google::protobuf::Map<std::string, tend::PluginSetting>& in);

 private:
  std::map<std::string, SettingValue, std::less<>> values_;
};

using SettingsByPlugin = std::map<std::string, PluginSettings, std::less<>>;

// Reads every [plugin.<name>] table. Values may be strings, numbers,
// booleans or lists of those; a nested table or a name that is not a plugin
// name is an error naming the file and line.
Expected<SettingsByPlugin> read_plugin_settings(const toml::table& doc, const std::string& path);

}  // namespace tend
