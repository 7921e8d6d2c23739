// A task's params checked against what the plugin declares (tend_param_spec)
// before any plugin code runs: unknown and missing params, wrong types,
// values outside the allowed set or pattern are refused with the param named;
// defaults are filled in. Each value's grammar is in param_value.h.
//
// Every value is bounded before its pattern (or anything else) looks at it:
// strings and list items at most 4096 bytes, lists at most 1024 items
// (core/common/param_bounds.h), integers within +-2^53, durations within ten
// years, sizes within 1 PiB; e.g. "param 'command' is 300000 bytes; the
// limit is 4096", "param 'timeout' 999999999999 is out of range: use 0 to
// 315360000 s".
#pragma once

#include <google/protobuf/struct.pb.h>
#include <tend/plugin.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "bus/expected.h"
#include "core/agent/plugin_host/param_value.h"

namespace tend {

// Validated params, typed. Absent optional params without a default are
// simply not here.
class PluginParams {
 public:
  void set(std::string name, ParamValue value);

  const ParamValue* find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  size_t size() const { return values_.size(); }
  const std::map<std::string, ParamValue, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, ParamValue, std::less<>> values_;
};

// `params` is the task's params object (from JSON). Messages start with the
// plugin's name, e.g. "plugin noop, param 'sleep_ms': expected a whole number,
// got \"soon\"".
Expected<PluginParams> validate_params(const tend_plugin& plugin,
                                       const google::protobuf::Struct& params);

// Checks one value against the bounds above, then a spec's allowed values and
// pattern; used for task values and, at load, for the spec's own default.
Expected<void> check_param_constraints(const tend_param_spec& spec, const ParamValue& value);

// The bounds alone.
Expected<void> check_param_value_bounds(const tend_param_spec& spec, const ParamValue& value);

}  // namespace tend
