// One row of the audit trail before it is chained (audit_chain.h): who did
// what to what, and why. Every part writes its entries through audit_entry(),
// so an entry reads the same whichever part wrote it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace tend::store {

struct AuditEntry {
  int64_t at_us = 0;   // 0: when the store writes it
  std::string actor;   // an operator, a host, a coordinator
  std::string action;  // submit, dispatch, result, summary, control, reload, ...
  std::string task_id;
  std::string target;
  std::string reason;
  std::string detail = "{}";  // JSON text, kept exactly as hashed
};

// An empty actor is recorded as "unknown": a request that named nobody still
// leaves a row that says so. `detail` is kept as JSON text (json_text.h).
AuditEntry audit_entry(std::string_view actor, std::string action, std::string target,
                       std::string reason = {},
                       const nlohmann::json& detail = nlohmann::json::object(),
                       std::string task_id = {});

}  // namespace tend::store
