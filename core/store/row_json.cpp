#include "core/store/row_json.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>

#include "bus/bounded_text.h"

namespace tend::store {

nlohmann::json to_json_value(const google::protobuf::Map<std::string, std::string>& map) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : map) out[storable_text(key)] = storable_text(value);
  return out;
}

nlohmann::json to_json_value(const google::protobuf::Map<std::string, double>& map) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : map) {
    // Counts read as counts: 1024, not 1024.0.
    bool whole = std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9.0e15;
    if (whole) {
      out[storable_text(key)] = static_cast<int64_t>(value);
    } else {
      out[storable_text(key)] = value;
    }
  }
  return out;
}

nlohmann::json to_json_value(const google::protobuf::Struct& params) {
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(params, &text).ok()) {
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(storable_text(text), nullptr, /*allow_exceptions=*/false);
}

nlohmann::json plugin_versions(const tend::Heartbeat& heartbeat) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& plugin : heartbeat.plugins()) {
    out.push_back({{"name", plugin.name()}, {"version", plugin.version()}});
  }
  return out;
}

nlohmann::json result_audit_detail(const tend::Result& result) {
  nlohmann::json detail = {{"plugin", result.plugin()},
                           {"status", tend::Status_Name(result.status())},
                           {"summary", storable_text(result.summary())},
                           {"verified", result.verified()},
                           {"dry_run", result.dry_run()}};
  if (!result.error().empty()) detail["error"] = storable_text(result.error());
  nlohmann::json change = nlohmann::json::object();
  for (const auto& [key, value] : result.outputs()) {
    if (key.find("before") != std::string::npos || key.find("after") != std::string::npos) {
      change[storable_text(key)] = storable_text(value);
    }
  }
  if (!change.empty()) detail["change"] = std::move(change);
  return detail;
}

}  // namespace tend::store
