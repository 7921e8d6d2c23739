// An alert as the pipeline sees it, whichever way it came (Alertmanager's
// webhook, or tend.alert on NATS): already parsed and checked.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/common/wall_time.h"

namespace tend::alerts {

using Labels = std::map<std::string, std::string>;

struct Alert {
  enum class Status { kFiring, kResolved };
  Status status = Status::kFiring;
  Labels labels;
  Labels annotations;
  WallTime starts_at{};
  WallTime ends_at{};  // zero while firing with no end known
  std::string generator_url;
  std::string fingerprint;  // Alertmanager's, or computed the same way

  bool firing() const { return status == Status::kFiring; }
  // The alertname label, or "" when it has none.
  std::string alertname() const;
};

// One notification: what Alertmanager sent in one webhook call.
struct AlertBatch {
  std::string receiver;
  std::string group_key;
  std::string external_url;  // where the Alertmanager that sent it is
  std::vector<Alert> alerts;
  std::string source;  // "webhook" or "nats", for logs and the audit trail
};

// Alertmanager's fingerprint of a label set: FNV-1a 64 over the label names
// in order, each name and value followed by a 0xff byte, as 16 hex digits.
// The same alert thus gets the same fingerprint from every Alertmanager and
// from publishers on tend.alert that leave it out.
std::string label_fingerprint(const Labels& labels);

}  // namespace tend::alerts
