// The JSON text kept in jsonb and audit columns: plugin outputs, figures,
// params, and the detail of audit entries. Built with nlohmann::json, whose
// objects keep keys sorted, so the same content always gives the same text
// (the audit chain hashes it).
#pragma once

#include <google/protobuf/map.h>
#include <google/protobuf/struct.pb.h>

#include <nlohmann/json.hpp>
#include <string>

#include "schemas/heartbeat.pb.h"
#include "schemas/result.pb.h"

namespace tend::store {

nlohmann::json to_json_value(const google::protobuf::Map<std::string, std::string>& map);
nlohmann::json to_json_value(const google::protobuf::Map<std::string, double>& map);
nlohmann::json to_json_value(const google::protobuf::Struct& params);
// [{"name": "noop", "version": "0.1.0"}, ...]
nlohmann::json plugin_versions(const tend::Heartbeat& heartbeat);

// What the audit trail keeps of a result: status and what the plugin said,
// with only the outputs that show a change (keys naming "before" or "after").
nlohmann::json result_audit_detail(const tend::Result& result);

}  // namespace tend::store
