#include "core/coordinator/alerts/alertmanager_payload.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "bus/json_depth.h"
#include "core/common/input_bounds.h"
#include "core/common/json_text.h"
#include "core/coordinator/alerts/alert_bounds.h"
#include "core/coordinator/alerts/alert_time.h"

namespace tend::alerts {
namespace {

using json = nlohmann::json;

PayloadError bad_alert(size_t index, const std::string& problem) {
  return {PayloadError::Kind::kBadAlert, fmt::format("alerts[{}]: {}", index, problem)};
}

// A value quoted in a refusal: its start only, however long it was.
std::string quoted(const json& value) {
  std::string text = json_text(value);
  return text.size() <= 32 ? text : text.substr(0, 32) + "...";
}

// A JSON object of strings, as labels and annotations are; its count is
// checked before anything is copied.
Expected<Labels> string_map(const json& parent, const char* key) {
  Labels out;
  auto it = parent.find(key);
  if (it == parent.end() || it->is_null()) return out;
  if (!it->is_object()) return make_error(fmt::format("\"{}\" must be an object of strings", key));
  if (auto ok = check_items(key, it->size(), kMaxLabelsPerAlert); !ok) return ok.error();
  for (const auto& [name, value] : it->items()) {
    if (!value.is_string()) {
      return make_error(fmt::format("\"{}\".{} must be a string", key, quoted(json(name))));
    }
    out[name] = value.get<std::string>();
  }
  return out;
}

std::string string_field(const json& parent, const char* key) {
  auto it = parent.find(key);
  return it != parent.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Fills in what every alert needs, whichever encoding it came in.
std::optional<PayloadError> complete(Alert& alert, size_t index, const std::string& status,
                                     const std::string& starts, const std::string& ends) {
  for (auto [field, value] :
       {std::pair{"status", &status}, std::pair{"startsAt", &starts}, std::pair{"endsAt", &ends}}) {
    if (auto ok = check_short_field(field, *value); !ok) {
      return bad_alert(index, ok.error().message);
    }
  }
  if (auto ok = check_alert_bounds(alert); !ok) return bad_alert(index, ok.error().message);
  if (status == "firing") {
    alert.status = Alert::Status::kFiring;
  } else if (status == "resolved") {
    alert.status = Alert::Status::kResolved;
  } else {
    return bad_alert(index, fmt::format("status '{}' is neither firing nor resolved", status));
  }
  if (alert.alertname().empty()) return bad_alert(index, "the label alertname is missing");
  if (!starts.empty()) {
    auto t = parse_rfc3339(starts);
    if (!t) return bad_alert(index, "startsAt: " + t.error().message);
    alert.starts_at = *t;
  }
  if (!ends.empty()) {
    auto t = parse_rfc3339(ends);
    if (!t) return bad_alert(index, "endsAt: " + t.error().message);
    alert.ends_at = *t;
  }
  if (alert.fingerprint.empty()) alert.fingerprint = label_fingerprint(alert.labels);
  return std::nullopt;
}

}  // namespace

PayloadResult parse_alertmanager_json(std::string_view body) {
  // Measured before the parser, which would otherwise build (and later
  // tear down, recursively) whatever a hostile body nests.
  if (auto ok = check_json_depth(body); !ok) {
    return PayloadError{PayloadError::Kind::kTooLarge, ok.error().message};
  }
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return PayloadError{PayloadError::Kind::kBadJson,
                        "the body is not JSON: send Alertmanager's webhook payload"};
  }
  if (!doc.is_object()) {
    return PayloadError{PayloadError::Kind::kBadJson, "the body must be a JSON object"};
  }
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_string() ||
      version->get<std::string>() != kWebhookVersion) {
    return PayloadError{
        PayloadError::Kind::kUnknownVersion,
        fmt::format("webhook payload version {} is not understood: tend reads "
                    "version \"{}\" (Alertmanager's webhook_configs)",
                    version == doc.end() ? "(none)" : quoted(*version), kWebhookVersion)};
  }
  auto alerts = doc.find("alerts");
  if (alerts == doc.end() || !alerts->is_array()) {
    return PayloadError{PayloadError::Kind::kBadJson, "\"alerts\" must be an array"};
  }
  if (auto ok = check_alert_count(alerts->size()); !ok) {
    return PayloadError{PayloadError::Kind::kTooLarge, ok.error().message};
  }
  AlertBatch batch;
  batch.receiver = string_field(doc, "receiver");
  batch.group_key = string_field(doc, "groupKey");
  batch.external_url = string_field(doc, "externalURL");
  if (auto ok = check_batch_bounds(batch); !ok) {
    return PayloadError{PayloadError::Kind::kBadJson, ok.error().message};
  }
  for (size_t i = 0; i < alerts->size(); ++i) {
    const json& a = (*alerts)[i];
    if (!a.is_object()) return bad_alert(i, "must be an object");
    Alert alert;
    auto labels = string_map(a, "labels");
    if (!labels) return bad_alert(i, labels.error().message);
    alert.labels = std::move(*labels);
    auto annotations = string_map(a, "annotations");
    if (!annotations) return bad_alert(i, annotations.error().message);
    alert.annotations = std::move(*annotations);
    alert.generator_url = string_field(a, "generatorURL");
    alert.fingerprint = string_field(a, "fingerprint");
    if (auto problem = complete(alert, i, string_field(a, "status"), string_field(a, "startsAt"),
                                string_field(a, "endsAt"))) {
      return *problem;
    }
    batch.alerts.push_back(std::move(alert));
  }
  return batch;
}

PayloadResult from_notification(const tend::AlertNotification& n) {
  if (n.version() != kWebhookVersion) {
    return PayloadError{PayloadError::Kind::kUnknownVersion,
                        fmt::format("notification version '{}' is not understood: tend reads "
                                    "version \"{}\"",
                                    n.version(), kWebhookVersion)};
  }
  if (auto ok = check_alert_count(static_cast<size_t>(n.alerts_size())); !ok) {
    return PayloadError{PayloadError::Kind::kTooLarge, ok.error().message};
  }
  AlertBatch batch;
  batch.receiver = n.receiver();
  batch.group_key = n.group_key();
  batch.external_url = n.external_url();
  if (auto ok = check_batch_bounds(batch); !ok) {
    return PayloadError{PayloadError::Kind::kBadJson, ok.error().message};
  }
  for (int i = 0; i < n.alerts_size(); ++i) {
    const auto& a = n.alerts(i);
    Alert alert;
    alert.labels = Labels(a.labels().begin(), a.labels().end());
    alert.annotations = Labels(a.annotations().begin(), a.annotations().end());
    alert.generator_url = a.generator_url();
    alert.fingerprint = a.fingerprint();
    if (auto problem =
            complete(alert, static_cast<size_t>(i), a.status(), a.starts_at(), a.ends_at())) {
      return *problem;
    }
    batch.alerts.push_back(std::move(alert));
  }
  return batch;
}

}  // namespace tend::alerts
