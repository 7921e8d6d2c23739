// Reads Alertmanager's webhook body (version 4) into an AlertBatch. Fields
// Alertmanager may add later are ignored; what tend relies on is checked,
// and a refusal says which of the three HTTP answers it deserves.
#pragma once

#include <string>
#include <string_view>

#include "bus/expected.h"
#include "core/coordinator/alerts/alert.h"
#include "schemas/alert.pb.h"

namespace tend::alerts {

// Only version 4 is understood (Alertmanager 0.x has sent it since 0.7).
inline constexpr const char* kWebhookVersion = "4";

struct PayloadError {
  // kTooLarge: past a bound of alert_bounds.h on the whole (too many alerts,
  // nested too deep), which no retry will change.
  enum class Kind { kBadJson, kUnknownVersion, kBadAlert, kTooLarge };
  Kind kind;
  std::string message;
};

class PayloadResult {
 public:
  PayloadResult(AlertBatch batch) : batch_(std::move(batch)), ok_(true) {}  // NOLINT
  PayloadResult(PayloadError error) : error_(std::move(error)) {}           // NOLINT
  explicit operator bool() const { return ok_; }
  AlertBatch& batch() { return batch_; }
  const PayloadError& error() const { return error_; }

 private:
  AlertBatch batch_;
  PayloadError error_{PayloadError::Kind::kBadJson, ""};
  bool ok_ = false;
};

// Alertmanager's own JSON. Every bound of alert_bounds.h is checked.
PayloadResult parse_alertmanager_json(std::string_view body);

// The same notification as tend.AlertNotification (binary protobuf on tend.alert).
PayloadResult from_notification(const tend::AlertNotification& notification);

}  // namespace tend::alerts
