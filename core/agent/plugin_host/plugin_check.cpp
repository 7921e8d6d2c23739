#include "core/agent/plugin_host/plugin_check.h"

#include <fmt/format.h>
#include <unistd.h>

#include "core/agent/plugin_host/plugin_descriptor.h"
#include "core/agent/plugin_host/plugin_file_policy.h"
#include "core/agent/plugin_host/plugin_library.h"

namespace tend {
namespace {

const char* type_name(tend_param_type type) {
  switch (type) {
    case TEND_PARAM_STRING:
      return "string";
    case TEND_PARAM_INTEGER:
      return "integer";
    case TEND_PARAM_BOOLEAN:
      return "boolean";
    case TEND_PARAM_DURATION:
      return "duration";
    case TEND_PARAM_SIZE:
      return "size";
    case TEND_PARAM_LIST:
      return "list";
  }
  return "?";
}

std::string supports(uint32_t flags) {
  std::string s;
  if (flags & TEND_SUPPORTS_DRY_RUN) s += " dry-run";
  if (flags & TEND_SUPPORTS_VERIFY) s += " verify";
  if (flags & TEND_SUPPORTS_ROLLBACK) s += " rollback";
  return s.empty() ? " (nothing optional)" : s;
}

}  // namespace

int check_plugin_file(const std::string& path, std::ostream& out, std::ostream& err) {
  auto allowed = check_plugin_file_policy(path, geteuid());
  if (!allowed) {
    err << "not usable: " << allowed.error().message << "\n";
    return 1;
  }
  auto library = PluginLibrary::load(*allowed);
  if (!library) {
    err << "not usable: " << library.error().message << "\n";
    return 1;
  }
  const tend_plugin& p = (*library)->plugin();
  out << fmt::format("{} {} — {}\n", p.name, p.version, p.description);
  out << fmt::format("  file:     {}\n", allowed->string());
  out << fmt::format("  risk:     {}\n", risk_name(p.risk));
  out << fmt::format("  supports:{}\n", supports(p.supports));
  out << fmt::format("  params:   {}\n", p.param_count == 0 ? "none" : "");
  for (size_t i = 0; i < p.param_count; ++i) {
    const tend_param_spec& spec = p.params[i];
    std::string extra;
    if (spec.required) extra += ", required";
    if (spec.default_value) extra += fmt::format(", default {}", spec.default_value);
    if (spec.allowed_values) extra += fmt::format(", one of {}", spec.allowed_values);
    if (spec.pattern) extra += fmt::format(", matching {}", spec.pattern);
    out << fmt::format("    {} ({}{}){}{}\n", spec.name, type_name(spec.type), extra,
                       spec.help ? ": " : "", spec.help ? spec.help : "");
  }
  out << "ok: this agent can load it\n";
  return 0;
}

}  // namespace tend
