#include "core/agent/plugin_host/plugin_descriptor.h"

#include <fmt/format.h>

namespace tend {
namespace {

constexpr std::pair<tend_param_type, std::string_view> kTypeNames[] = {
    {TEND_PARAM_STRING, "string"},   {TEND_PARAM_INTEGER, "integer"},
    {TEND_PARAM_BOOLEAN, "boolean"}, {TEND_PARAM_DURATION, "duration"},
    {TEND_PARAM_SIZE, "size"},       {TEND_PARAM_LIST, "list"},
};

std::string_view type_name(tend_param_type type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "unknown";
}

const char* or_null(const std::string& s, bool present) { return present ? s.c_str() : nullptr; }

}  // namespace

std::string_view risk_name(tend_risk risk) {
  switch (risk) {
    case TEND_RISK_LOW:
      return "low";
    case TEND_RISK_MEDIUM:
      return "medium";
    case TEND_RISK_HIGH:
      return "high";
  }
  return "unknown";
}

tend::PluginInfo PluginDescriptor::describe(const tend_plugin& plugin,
                                            const std::filesystem::path& path) {
  tend::PluginInfo info;
  info.set_name(plugin.name);
  info.set_version(plugin.version);
  info.set_description(plugin.description);
  info.set_risk(std::string(risk_name(plugin.risk)));
  info.set_supports_dry_run(plugin.supports & TEND_SUPPORTS_DRY_RUN);
  info.set_supports_verify(plugin.supports & TEND_SUPPORTS_VERIFY);
  info.set_supports_rollback(plugin.supports & TEND_SUPPORTS_ROLLBACK);
  info.set_path(path.string());
  for (size_t i = 0; i < plugin.param_count; ++i) {
    const tend_param_spec& spec = plugin.params[i];
    auto* p = info.add_params();
    p->set_name(spec.name);
    p->set_type(std::string(type_name(spec.type)));
    p->set_required(spec.required != 0);
    p->set_has_default(spec.default_value != nullptr);
    if (spec.default_value) p->set_default_value(spec.default_value);
    if (spec.allowed_values) p->set_allowed_values(spec.allowed_values);
    if (spec.pattern) p->set_pattern(spec.pattern);
    if (spec.help) p->set_help(spec.help);
  }
  return info;
}

Expected<std::shared_ptr<const PluginDescriptor>> PluginDescriptor::from_info(
    tend::PluginInfo info) {
  std::shared_ptr<PluginDescriptor> descriptor(new PluginDescriptor(std::move(info)));
  if (auto ok = descriptor->build_view(); !ok) return ok.error();
  return std::shared_ptr<const PluginDescriptor>(std::move(descriptor));
}

Expected<void> PluginDescriptor::build_view() {
  specs_.reserve(info_.params_size());
  for (const auto& p : info_.params()) {
    tend_param_spec spec{};
    spec.name = p.name().c_str();
    bool known = false;
    for (const auto& [t, name] : kTypeNames) {
      if (name == p.type()) spec.type = t, known = true;
    }
    if (!known) {
      return make_error(fmt::format("plugin {}: param {} has unknown type '{}'", info_.name(),
                                    p.name(), p.type()));
    }
    spec.required = p.required() ? 1 : 0;
    spec.default_value = or_null(p.default_value(), p.has_default());
    spec.allowed_values = or_null(p.allowed_values(), !p.allowed_values().empty());
    spec.pattern = or_null(p.pattern(), !p.pattern().empty());
    spec.help = or_null(p.help(), !p.help().empty());
    specs_.push_back(spec);
  }
  view_.abi_version = TEND_PLUGIN_ABI_VERSION;
  view_.struct_size = sizeof(tend_plugin);
  view_.name = info_.name().c_str();
  view_.version = info_.version().c_str();
  view_.description = info_.description().c_str();
  view_.risk = info_.risk() == "high"     ? TEND_RISK_HIGH
               : info_.risk() == "medium" ? TEND_RISK_MEDIUM
                                          : TEND_RISK_LOW;
  view_.supports = (info_.supports_dry_run() ? TEND_SUPPORTS_DRY_RUN : 0u) |
                   (info_.supports_verify() ? TEND_SUPPORTS_VERIFY : 0u) |
                   (info_.supports_rollback() ? TEND_SUPPORTS_ROLLBACK : 0u);
  view_.params = specs_.data();
  view_.param_count = specs_.size();
  return {};
}

}  // namespace tend
