#include "core/agent/plugin_params.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <span>
#include <vector>

#include "core/common/pattern.h"

namespace tend {
namespace {

std::span<const tend_param_spec> specs_of(const tend_plugin& plugin) {
  if (!plugin.params) return {};
  return {plugin.params, plugin.param_count};
}

const tend_param_spec* find_spec(const tend_plugin& plugin, std::string_view name) {
  for (const auto& spec : specs_of(plugin)) {
    if (name == spec.name) return &spec;
  }
  return nullptr;
}

Error unknown_param(const tend_plugin& plugin, std::string_view name) {
  std::vector<std::string_view> known;
  for (const auto& spec : specs_of(plugin)) known.emplace_back(spec.name);
  if (known.empty()) {
    return make_error(fmt::format("plugin {} takes no params, but got '{}'", plugin.name, name));
  }
  return make_error(fmt::format("plugin {} has no param '{}': it takes {}", plugin.name, name,
                                fmt::join(known, ", ")));
}

// Allowed values compare as the type reads them: "60m" is allowed by "1h".
bool same_value(const ParamValue& a, const ParamValue& b) {
  switch (a.type) {
    case TEND_PARAM_INTEGER:
    case TEND_PARAM_DURATION:
    case TEND_PARAM_SIZE:
      return a.number == b.number;
    case TEND_PARAM_BOOLEAN:
      return a.flag == b.flag;
    default:
      return a.text == b.text;
  }
}

Expected<void> check_allowed(const tend_param_spec& spec, const ParamValue& value) {
  auto allowed_list = param_from_text(TEND_PARAM_LIST, spec.allowed_values);
  if (!allowed_list) return allowed_list.error();
  const auto& allowed = allowed_list->items;
  auto is_allowed = [&](const ParamValue& candidate) {
    return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& text) {
      auto option = param_from_text(candidate.type, text);
      return option && same_value(candidate, *option);
    });
  };
  if (value.type != TEND_PARAM_LIST) {
    if (is_allowed(value)) return {};
    return make_error(
        fmt::format("\"{}\" is not allowed: use one of {}", value.text, fmt::join(allowed, ", ")));
  }
  for (const auto& item : value.items) {
    if (!is_allowed(ParamValue{.type = TEND_PARAM_STRING, .text = item})) {
      return make_error(
          fmt::format("item \"{}\" is not allowed: use any of {}", item, fmt::join(allowed, ", ")));
    }
  }
  return {};
}

Expected<void> check_pattern(const tend_param_spec& spec, const ParamValue& value) {
  // Compiled once per pattern (RE2: linear time whatever the text, see
  // core/common/pattern.h); the load already refused a pattern that does not.
  auto pattern = Pattern::cached(spec.pattern);
  if (!pattern) return pattern.error();
  if (value.type != TEND_PARAM_LIST) {
    if (pattern->matches_whole(value.text)) return {};
    return make_error(
        fmt::format("\"{}\" does not match the pattern {}", value.text, spec.pattern));
  }
  for (const auto& item : value.items) {
    if (!pattern->matches_whole(item)) {
      return make_error(
          fmt::format("item \"{}\" does not match the pattern {}", item, spec.pattern));
    }
  }
  return {};
}

Expected<ParamValue> read_value(const tend_param_spec& spec, const google::protobuf::Value& json) {
  auto value = param_from_json(spec.type, json);
  if (!value) return value.error();
  if (auto ok = check_param_constraints(spec, *value); !ok) return ok.error();
  return value;
}

}  // namespace

void PluginParams::set(std::string name, ParamValue value) {
  values_.insert_or_assign(std::move(name), std::move(value));
}

const ParamValue* PluginParams::find(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

Expected<void> check_param_constraints(const tend_param_spec& spec, const ParamValue& value) {
  if (spec.allowed_values) {
    if (auto ok = check_allowed(spec, value); !ok) return ok;
  }
  if (spec.pattern) return check_pattern(spec, value);
  return {};
}

Expected<PluginParams> validate_params(const tend_plugin& plugin,
                                       const google::protobuf::Struct& params) {
  // Map order is unspecified: sort so the same task always gets the same answer.
  std::vector<std::string> given;
  for (const auto& [name, value] : params.fields()) given.push_back(name);
  std::sort(given.begin(), given.end());
  for (const auto& name : given) {
    if (!find_spec(plugin, name)) return unknown_param(plugin, name);
  }

  PluginParams result;
  for (const auto& spec : specs_of(plugin)) {
    auto it = params.fields().find(spec.name);
    // A JSON null reads as "not given", so a default still applies.
    bool present = it != params.fields().end() &&
                   it->second.kind_case() != google::protobuf::Value::kNullValue;
    if (present) {
      auto value = read_value(spec, it->second);
      if (!value) {
        return make_error(fmt::format("plugin {}, param '{}': {}", plugin.name, spec.name,
                                      value.error().message));
      }
      result.set(spec.name, std::move(*value));
    } else if (spec.required) {
      return make_error(fmt::format("plugin {} needs param '{}' ({}){}", plugin.name, spec.name,
                                    param_type_name(spec.type),
                                    spec.help ? fmt::format(": {}", spec.help) : ""));
    } else if (spec.default_value) {
      auto value = param_from_text(spec.type, spec.default_value);
      if (!value) {
        return make_error(fmt::format("plugin {}, param '{}': its default is unusable: {}",
                                      plugin.name, spec.name, value.error().message));
      }
      result.set(spec.name, std::move(*value));
    }
  }
  return result;
}

}  // namespace tend
