#include "core/agent/plugin_host/param_spec_check.h"

#include <fmt/format.h>

#include <set>
#include <string>

#include "bus/names.h"
#include "core/agent/plugin_host/param_value.h"
#include "core/agent/plugin_host/plugin_enum_value.h"
#include "core/agent/plugin_host/plugin_params.h"
#include "core/common/param_bounds.h"  // kMaxParams: more would be a table nobody could fill in
#include "core/common/pattern.h"

namespace tend {
namespace {

Expected<void> check_spec(const tend_param_spec& spec) {
  const auto type = plugin_enum_value(spec.type);
  if (type < TEND_PARAM_STRING || type > TEND_PARAM_LIST) {
    return make_error(fmt::format("unknown type {}", type));
  }
  if (spec.pattern) {
    if (auto pattern = Pattern::cached(spec.pattern); !pattern) return pattern.error();
  }
  if (spec.allowed_values) {
    auto allowed = param_from_text(TEND_PARAM_LIST, spec.allowed_values);
    if (!allowed) return allowed.error();
    // A list's allowed values are its items, which are plain strings.
    tend_param_type item_type = spec.type == TEND_PARAM_LIST ? TEND_PARAM_STRING : spec.type;
    for (const auto& text : allowed->items) {
      if (auto value = param_from_text(item_type, text); !value) {
        return make_error(
            fmt::format("allowed value \"{}\" is unusable: {}", text, value.error().message));
      }
    }
  }
  if (spec.default_value) {
    auto value = param_from_text(spec.type, spec.default_value);
    if (value) {
      if (auto ok = check_param_constraints(spec, *value); !ok) value = ok.error();
    }
    if (!value) {
      return make_error(
          fmt::format("default \"{}\" is unusable: {}", spec.default_value, value.error().message));
    }
  }
  return {};
}

}  // namespace

Expected<void> check_param_specs(const tend_plugin& plugin) {
  if (plugin.param_count == 0) return {};
  if (!plugin.params) {
    return make_error(fmt::format("declares {} params but gives no table", plugin.param_count));
  }
  if (plugin.param_count > kMaxParams) {
    return make_error(
        fmt::format("declares {} params; at most {} are allowed", plugin.param_count, kMaxParams));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < plugin.param_count; ++i) {
    const tend_param_spec& spec = plugin.params[i];
    if (!spec.name) return make_error(fmt::format("param #{} has no name", i + 1));
    if (auto ok = check_name("param name", spec.name); !ok) return ok;
    if (!seen.insert(spec.name).second) {
      return make_error(fmt::format("param '{}' is declared twice", spec.name));
    }
    if (auto ok = check_spec(spec); !ok) {
      return make_error(fmt::format("param '{}': {}", spec.name, ok.error().message));
    }
  }
  return {};
}

}  // namespace tend
