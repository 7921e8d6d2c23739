// Bounds on an alert notification, whichever way it came (Alertmanager's
// webhook, tend.alert as JSON or protobuf): how many alerts, labels and
// annotations, how long each name and value. Real Alertmanager payloads are
// far inside them; a body past one is refused naming the alert, the field
// and the limit ("alerts[3]: label 'instance' is 5000 bytes; the limit is
// 4096"), so it never reaches the route matchers, the store or a template.
#pragma once

#include <cstddef>
#include <string_view>

#include "bus/expected.h"
#include "core/coordinator/alerts/alert.h"

namespace tend::alerts {

// Alerts in one notification. Alertmanager sends a whole group in one call
// unless its webhook_config says max_alerts: set max_alerts to this or less.
inline constexpr size_t kMaxAlertsPerNotification = 1000;
// Labels, and annotations, of one alert.
inline constexpr size_t kMaxLabelsPerAlert = 128;
inline constexpr size_t kMaxLabelNameBytes = 256;
inline constexpr size_t kMaxLabelValueBytes = 4096;
// Annotations carry prose (description, runbook text).
inline constexpr size_t kMaxAnnotationValueBytes = 16384;
// receiver, groupKey, externalURL, generatorURL.
inline constexpr size_t kMaxUrlBytes = 8192;
// status, startsAt, endsAt: a word or a time.
inline constexpr size_t kMaxShortFieldBytes = 64;
// Alertmanager's fingerprint is 16 hex digits.
inline constexpr size_t kMaxFingerprintBytes = 64;
// JSON nesting: Alertmanager's payload is 3 levels deep.
inline constexpr size_t kMaxJsonDepth = 32;

// The notification's count; the refusal says how to make Alertmanager send less.
Expected<void> check_alert_count(size_t alerts);

// Labels, annotations, generatorURL and fingerprint of one alert.
Expected<void> check_alert_bounds(const Alert& alert);

// receiver, groupKey and externalURL.
Expected<void> check_batch_bounds(const AlertBatch& batch);

// A short field as it came, before it is read: status, startsAt, endsAt.
Expected<void> check_short_field(std::string_view field, std::string_view value);

}  // namespace tend::alerts
