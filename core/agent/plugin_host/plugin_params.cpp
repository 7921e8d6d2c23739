#include "core/agent/plugin_host/plugin_params.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <span>
#include <vector>

#include "bus/names.h"
#include "core/common/input_bounds.h"
#include "core/common/param_bounds.h"
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

// Past what any plugin could mean: integers JSON carries exactly (2^53),
// durations of ten years (well inside what a clock can add without
// overflowing), sizes of a pebibyte.
constexpr int64_t kMaxParamInteger = int64_t{1} << 53;
constexpr int64_t kMaxParamDurationS = int64_t{10} * 365 * 86'400;
constexpr int64_t kMaxParamSize = int64_t{1} << 50;

Expected<void> check_number_range(const tend_param_spec& spec, const ParamValue& value) {
  const auto what = fmt::format("param '{}'", spec.name);
  switch (value.type) {
    case TEND_PARAM_INTEGER:
      return check_range(what, value.number, -kMaxParamInteger, kMaxParamInteger, "");
    case TEND_PARAM_DURATION:
      return check_range(what, value.number, 0, kMaxParamDurationS, "s");
    case TEND_PARAM_SIZE:
      return check_range(what, value.number, 0, kMaxParamSize, "bytes");
    default:
      return {};
  }
}

Expected<void> check_text_bounds(const tend_param_spec& spec, const ParamValue& value) {
  const auto what = fmt::format("param '{}'", spec.name);
  if (value.type != TEND_PARAM_LIST) return check_bytes(what, value.text.size(), kMaxParamBytes);
  if (auto ok = check_items(what, value.items.size(), kMaxParamItems); !ok) return ok;
  for (size_t i = 0; i < value.items.size(); ++i) {
    if (auto ok = check_bytes(fmt::format("{} item {}", what, i + 1), value.items[i].size(),
                              kMaxParamBytes);
        !ok) {
      return ok;
    }
  }
  return {};
}

// A task's value, or why not. Bounds come first and are not wrapped: they
// read the same wherever they are met ("param 'command' is 300000 bytes;
// the limit is 4096"). The raw JSON is bounded before it is even parsed.
Expected<ParamValue> read_value(const tend_plugin& plugin, const tend_param_spec& spec,
                                const google::protobuf::Value& json) {
  if (auto ok = check_param_bounds(spec.name, json); !ok) return ok.error();
  auto wrapped = [&](const Error& error) {
    return make_error(
        fmt::format("plugin {}, param '{}': {}", plugin.name, spec.name, error.message));
  };
  auto value = param_from_json(spec.type, json);
  if (!value) return wrapped(value.error());
  if (auto ok = check_param_value_bounds(spec, *value); !ok) return ok.error();
  if (auto ok = check_param_constraints(spec, *value); !ok) return wrapped(ok.error());
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

Expected<void> check_param_value_bounds(const tend_param_spec& spec, const ParamValue& value) {
  if (auto ok = check_text_bounds(spec, value); !ok) return ok;
  return check_number_range(spec, value);
}

Expected<void> check_param_constraints(const tend_param_spec& spec, const ParamValue& value) {
  // No pattern ever runs on a value past its bounds.
  if (auto ok = check_param_value_bounds(spec, value); !ok) return ok;
  if (spec.allowed_values) {
    if (auto ok = check_allowed(spec, value); !ok) return ok;
  }
  if (spec.pattern) return check_pattern(spec, value);
  return {};
}

Expected<PluginParams> validate_params(const tend_plugin& plugin,
                                       const google::protobuf::Struct& params) {
  // Map order is unspecified: sort so the same task always gets the same answer.
  if (auto ok = check_items("params", params.fields().size(), kMaxParams); !ok) return ok.error();
  std::vector<std::string> given;
  for (const auto& [name, value] : params.fields()) given.push_back(name);
  std::sort(given.begin(), given.end());
  for (const auto& name : given) {
    // Not echoed when it is a hostile one.
    if (auto ok = check_bytes("param name", name.size(), kMaxNameBytes); !ok) return ok.error();
    if (!find_spec(plugin, name)) return unknown_param(plugin, name);
  }

  PluginParams result;
  for (const auto& spec : specs_of(plugin)) {
    auto it = params.fields().find(spec.name);
    // A JSON null reads as "not given", so a default still applies.
    bool present = it != params.fields().end() &&
                   it->second.kind_case() != google::protobuf::Value::kNullValue;
    if (present) {
      auto value = read_value(plugin, spec, it->second);
      if (!value) return value.error();
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
