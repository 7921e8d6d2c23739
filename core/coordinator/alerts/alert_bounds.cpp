#include "core/coordinator/alerts/alert_bounds.h"

#include <fmt/format.h>

#include "core/common/input_bounds.h"

namespace tend::alerts {
namespace {

// `kind` is "label" or "annotation".
Expected<void> check_map(const Labels& map, std::string_view kind, size_t value_limit) {
  if (auto ok = check_items(fmt::format("{}s", kind), map.size(), kMaxLabelsPerAlert); !ok) {
    return ok;
  }
  for (const auto& [name, value] : map) {
    if (name.size() > kMaxLabelNameBytes) {
      // The name itself is what is too long: show its start only.
      return check_bytes(fmt::format("{} name '{}...'", kind, name.substr(0, 32)), name.size(),
                         kMaxLabelNameBytes);
    }
    if (auto ok = check_bytes(fmt::format("{} '{}'", kind, name), value.size(), value_limit); !ok) {
      return ok;
    }
  }
  return {};
}

}  // namespace

Expected<void> check_alert_count(size_t alerts) {
  if (auto ok = check_items("alerts", alerts, kMaxAlertsPerNotification); !ok) {
    return make_error(ok.error().message +
                      fmt::format(": set max_alerts: {} in Alertmanager's webhook_config",
                                  kMaxAlertsPerNotification));
  }
  return {};
}

Expected<void> check_alert_bounds(const Alert& alert) {
  if (auto ok = check_map(alert.labels, "label", kMaxLabelValueBytes); !ok) return ok;
  if (auto ok = check_map(alert.annotations, "annotation", kMaxAnnotationValueBytes); !ok) {
    return ok;
  }
  if (auto ok = check_bytes("generatorURL", alert.generator_url.size(), kMaxUrlBytes); !ok) {
    return ok;
  }
  return check_bytes("fingerprint", alert.fingerprint.size(), kMaxFingerprintBytes);
}

Expected<void> check_batch_bounds(const AlertBatch& batch) {
  if (auto ok = check_bytes("receiver", batch.receiver.size(), kMaxUrlBytes); !ok) return ok;
  if (auto ok = check_bytes("groupKey", batch.group_key.size(), kMaxUrlBytes); !ok) return ok;
  return check_bytes("externalURL", batch.external_url.size(), kMaxUrlBytes);
}

Expected<void> check_short_field(std::string_view field, std::string_view value) {
  return check_bytes(field, value.size(), kMaxShortFieldBytes);
}

}  // namespace tend::alerts
