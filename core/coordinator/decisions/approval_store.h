// Approvals in PostgreSQL: each request, and how it was answered (approved,
// denied, expired, or cancelled because the alert resolved).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/coordinator/decisions/approval_queue.h"
#include "core/store/database.h"

namespace tend::decisions {

struct ApprovalRequest {
  PendingFix fix;
  std::string pattern;
  std::string plugin;
  std::string target;
  std::optional<double> confidence;
  std::string why;
};

class ApprovalStore {
 public:
  explicit ApprovalStore(store::Database& db) : db_(db) {}

  Expected<void> requested(const ApprovalRequest& request);
  // `state`: approved, denied, expired, cancelled.
  Expected<void> answered(const std::string& task_id, const std::string& state,
                          const std::string& by, const std::string& comment, WallTime at);
  Expected<std::vector<PendingFix>> load_pending();

 private:
  store::Database& db_;
};

}  // namespace tend::decisions
