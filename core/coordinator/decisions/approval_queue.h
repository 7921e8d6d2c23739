// Fixes waiting for a human's approve or deny, each with its time to live
// ([approvals] ttl): one that nobody answers in time is denied, and its
// incident escalated. In memory on the pipeline's thread, kept in the
// approvals table (approval_store.h) so that a restart loses none.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/wall_time.h"

namespace tend::decisions {

struct PendingFix {
  std::string task_id;
  int64_t incident_id = 0;
  WallTime requested_at{};
  WallTime expires_at{};
};

class ApprovalQueue {
 public:
  void add(PendingFix fix);
  // Removes and returns the pending fix, if there is one.
  std::optional<PendingFix> take(const std::string& task_id);
  const PendingFix* find(const std::string& task_id) const;

  // Removes and returns those whose time is up at `now`.
  std::vector<PendingFix> take_expired(WallTime now);
  // The earliest expiry, or nothing when none waits.
  std::optional<WallTime> next_expiry() const;

  std::vector<PendingFix> all() const;  // oldest request first
  size_t size() const { return pending_.size(); }

 private:
  std::map<std::string, PendingFix> pending_;  // by task id
};

}  // namespace tend::decisions
