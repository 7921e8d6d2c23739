#include "core/store/audit_entry.h"

#include "core/common/json_text.h"

namespace tend::store {

AuditEntry audit_entry(std::string_view actor, std::string action, std::string target,
                       std::string reason, const nlohmann::json& detail, std::string task_id) {
  AuditEntry entry;
  entry.actor = actor.empty() ? "unknown" : std::string(actor);
  entry.action = std::move(action);
  entry.task_id = std::move(task_id);
  entry.target = std::move(target);
  entry.reason = std::move(reason);
  entry.detail = json_text(detail);
  return entry;
}

}  // namespace tend::store
