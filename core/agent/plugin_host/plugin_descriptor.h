// A plugin as the agent knows it: a copy of the description the plugin gives
// of itself, owned here, with a tend_plugin view over it (no hooks) so params
// can be validated against it. The agent keeps no plugin code loaded: the
// description is read in a child process (see plugin_describer.h), so a
// plugin whose constructor crashes or hangs cannot harm the agent, and a
// .so replaced in place is read afresh on the next reload.
#pragma once

#include <tend/plugin.h>

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "bus/expected.h"
#include "schemas/heartbeat.pb.h"

namespace tend {

// "low", "medium" or "high".
std::string_view risk_name(tend_risk risk);

class PluginDescriptor {
 public:
  // Copies what a loaded plugin says about itself.
  static tend::PluginInfo describe(const tend_plugin& plugin, const std::filesystem::path& path);

  // Refuses an info whose param types it does not know.
  static Expected<std::shared_ptr<const PluginDescriptor>> from_info(tend::PluginInfo info);

  PluginDescriptor(const PluginDescriptor&) = delete;
  PluginDescriptor& operator=(const PluginDescriptor&) = delete;

  // The description as the C ABI spells it; its hooks are all null.
  const tend_plugin& plugin() const { return view_; }
  const tend::PluginInfo& info() const { return info_; }
  std::string_view name() const { return info_.name(); }
  std::filesystem::path path() const { return info_.path(); }

 private:
  explicit PluginDescriptor(tend::PluginInfo info) : info_(std::move(info)) {}
  Expected<void> build_view();

  const tend::PluginInfo info_;  // never changes, so the view's pointers stay valid
  std::vector<tend_param_spec> specs_;
  tend_plugin view_{};
};

}  // namespace tend
