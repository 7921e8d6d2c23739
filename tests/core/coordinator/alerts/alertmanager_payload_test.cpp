// Alertmanager's webhook body as version 0.25 sends it (captured from the
// real program), and what tend refuses.
#include "core/coordinator/alerts/alertmanager_payload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bus/json_depth.h"
#include "core/coordinator/alerts/alert_bounds.h"
#include "core/coordinator/alerts/alert_time.h"

namespace tend::alerts {
namespace {

using ::testing::HasSubstr;

constexpr const char* kFiring =
    R"({"receiver":"tend","status":"firing","alerts":[{"status":"firing",
  "labels":{"alertname":"DiskFull","instance":"web-01:9100","severity":"critical"},
  "annotations":{"summary":"disk 92%"},"startsAt":"2026-11-23T08:43:02.498378164Z",
  "endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"1769da58daff90b1"}],
  "groupLabels":{"alertname":"DiskFull","instance":"web-01:9100"},
  "commonLabels":{"alertname":"DiskFull","instance":"web-01:9100","severity":"critical"},
  "commonAnnotations":{"summary":"disk 92%"},"externalURL":"http://vm:18993","version":"4",
  "groupKey":"{}:{alertname=\"DiskFull\", instance=\"web-01:9100\"}","truncatedAlerts":0})";

TEST(AlertmanagerPayload, ReadsWhatAlertmanagerSends) {
  auto parsed = parse_alertmanager_json(kFiring);
  ASSERT_TRUE(parsed) << parsed.error().message;
  const AlertBatch& batch = parsed.batch();
  EXPECT_EQ(batch.receiver, "tend");
  EXPECT_EQ(batch.external_url, "http://vm:18993");
  ASSERT_EQ(batch.alerts.size(), 1u);
  const Alert& alert = batch.alerts[0];
  EXPECT_TRUE(alert.firing());
  EXPECT_EQ(alert.alertname(), "DiskFull");
  EXPECT_EQ(alert.labels.at("instance"), "web-01:9100");
  EXPECT_EQ(alert.annotations.at("summary"), "disk 92%");
  EXPECT_EQ(alert.fingerprint, "1769da58daff90b1");
  EXPECT_EQ(format_rfc3339(alert.starts_at), "2026-11-23T08:43:02.498Z");
  EXPECT_EQ(alert.ends_at, WallTime{}) << "Alertmanager's year-1 time means no end";
}

TEST(AlertmanagerPayload, ComputesTheFingerprintAlertmanagerWouldWhenItIsMissing) {
  // The same labels as above: Alertmanager itself said 1769da58daff90b1.
  EXPECT_EQ(label_fingerprint(
                {{"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"severity", "critical"}}),
            "1769da58daff90b1");
  auto parsed = parse_alertmanager_json(
      R"({"version":"4","alerts":[{"status":"firing","labels":{"alertname":"DiskFull",
          "instance":"web-01:9100","severity":"critical"}}]})");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed.batch().alerts[0].fingerprint, "1769da58daff90b1");
}

TEST(AlertmanagerPayload, IgnoresFieldsAFutureAlertmanagerMightAdd) {
  auto parsed = parse_alertmanager_json(
      R"({"version":"4","newField":{"x":1},"alerts":[{"status":"resolved","labels":
          {"alertname":"A"},"somethingNew":true}]})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_FALSE(parsed.batch().alerts[0].firing());
}

TEST(AlertmanagerPayload, SaysWhichOfTheThreeWrongsABodyIs) {
  auto not_json = parse_alertmanager_json("{not json");
  ASSERT_FALSE(not_json);
  EXPECT_EQ(not_json.error().kind, PayloadError::Kind::kBadJson);

  auto old = parse_alertmanager_json(R"({"version":"3","alerts":[]})");
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().kind, PayloadError::Kind::kUnknownVersion);
  EXPECT_THAT(old.error().message, HasSubstr("version \"3\" is not understood"));

  auto nameless = parse_alertmanager_json(
      R"({"version":"4","alerts":[{"status":"firing","labels":{"job":"x"}}]})");
  ASSERT_FALSE(nameless);
  EXPECT_EQ(nameless.error().kind, PayloadError::Kind::kBadAlert);
  EXPECT_THAT(nameless.error().message, HasSubstr("alerts[0]: the label alertname is missing"));

  auto bad_status = parse_alertmanager_json(
      R"({"version":"4","alerts":[{"status":"burning","labels":{"alertname":"A"}}]})");
  ASSERT_FALSE(bad_status);
  EXPECT_THAT(bad_status.error().message, HasSubstr("neither firing nor resolved"));

  auto bad_time = parse_alertmanager_json(
      R"({"version":"4","alerts":[{"status":"firing","labels":{"alertname":"A"},
          "startsAt":"yesterday"}]})");
  ASSERT_FALSE(bad_time);
  EXPECT_THAT(bad_time.error().message, HasSubstr("startsAt"));
}

TEST(AlertmanagerPayload, TheProtobufFormCarriesTheSameAlerts) {
  tend::AlertNotification n;
  n.set_version("4");
  auto* a = n.add_alerts();
  a->set_status("firing");
  (*a->mutable_labels())["alertname"] = "DiskFull";
  (*a->mutable_labels())["instance"] = "web-01:9100";
  (*a->mutable_labels())["severity"] = "critical";
  a->set_starts_at("2026-11-23T08:43:02Z");
  auto parsed = from_notification(n);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed.batch().alerts[0].fingerprint, "1769da58daff90b1");

  n.set_version("5");
  EXPECT_EQ(from_notification(n).error().kind, PayloadError::Kind::kUnknownVersion);
}

// --- bounds: just under each is read, just over is refused naming it --------

// One firing alert with `extra` JSON members beside its labels.
std::string one_alert(const std::string& labels, const std::string& extra = "") {
  return R"({"version":"4","alerts":[{"status":"firing","labels":{"alertname":"A")" + labels + "}" +
         extra + "}]}";
}

std::string label(const std::string& name, size_t value_bytes) {
  return ",\"" + name + "\":\"" + std::string(value_bytes, 'v') + "\"";
}

std::string refusal_of(const std::string& body) {
  auto parsed = parse_alertmanager_json(body);
  return parsed ? "(accepted)" : parsed.error().message;
}

TEST(AlertmanagerPayloadBounds, AlertsPerNotification) {
  auto body = [](size_t n) {
    std::string alerts;
    for (size_t i = 0; i < n; ++i) {
      alerts += std::string(i ? "," : "") + R"({"status":"firing","labels":{"alertname":"A"}})";
    }
    return R"({"version":"4","alerts":[)" + alerts + "]}";
  };
  EXPECT_EQ(refusal_of(body(kMaxAlertsPerNotification)), "(accepted)");
  auto over = parse_alertmanager_json(body(kMaxAlertsPerNotification + 1));
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().kind, PayloadError::Kind::kTooLarge);
  EXPECT_EQ(over.error().message,
            "alerts has 1001 items; the limit is 1000: set max_alerts: 1000 in Alertmanager's "
            "webhook_config");
}

TEST(AlertmanagerPayloadBounds, LabelsAndAnnotationsPerAlert) {
  std::string labels;  // alertname and 127 more: exactly the bound
  for (size_t i = 1; i < kMaxLabelsPerAlert; ++i) labels += label("l" + std::to_string(i), 1);
  EXPECT_EQ(refusal_of(one_alert(labels)), "(accepted)");
  EXPECT_EQ(refusal_of(one_alert(labels + label("one_more", 1))),
            "alerts[0]: labels has 129 items; the limit is 128");

  std::string annotations = R"(,"annotations":{"a0":"x")";
  for (size_t i = 1; i <= kMaxLabelsPerAlert; ++i) annotations += label("a" + std::to_string(i), 1);
  EXPECT_EQ(refusal_of(one_alert("", annotations + "}")),
            "alerts[0]: annotations has 129 items; the limit is 128");
}

TEST(AlertmanagerPayloadBounds, LabelNamesAndValues) {
  EXPECT_EQ(refusal_of(one_alert(label(std::string(kMaxLabelNameBytes, 'n'), 1))), "(accepted)");
  EXPECT_EQ(
      refusal_of(one_alert(label(std::string(kMaxLabelNameBytes + 1, 'n'), 1))),
      "alerts[0]: label name '" + std::string(32, 'n') + "...' is 257 bytes; the limit is 256");
  EXPECT_EQ(refusal_of(one_alert(label("instance", kMaxLabelValueBytes))), "(accepted)");
  EXPECT_EQ(refusal_of(one_alert(label("instance", kMaxLabelValueBytes + 1))),
            "alerts[0]: label 'instance' is 4097 bytes; the limit is 4096");
}

TEST(AlertmanagerPayloadBounds, AnnotationValues) {
  auto with_description = [](size_t bytes) {
    return one_alert("", R"(,"annotations":{"description":")" + std::string(bytes, 'd') + "\"}");
  };
  EXPECT_EQ(refusal_of(with_description(kMaxAnnotationValueBytes)), "(accepted)");
  EXPECT_EQ(refusal_of(with_description(kMaxAnnotationValueBytes + 1)),
            "alerts[0]: annotation 'description' is 16385 bytes; the limit is 16384");
}

TEST(AlertmanagerPayloadBounds, OtherFields) {
  auto field = [](const std::string& name, size_t bytes) {
    return one_alert("", ",\"" + name + "\":\"" + std::string(bytes, 'f') + "\"");
  };
  EXPECT_EQ(refusal_of(field("generatorURL", kMaxUrlBytes)), "(accepted)");
  EXPECT_EQ(refusal_of(field("generatorURL", kMaxUrlBytes + 1)),
            "alerts[0]: generatorURL is 8193 bytes; the limit is 8192");
  EXPECT_EQ(refusal_of(field("fingerprint", kMaxFingerprintBytes)), "(accepted)");
  EXPECT_EQ(refusal_of(field("fingerprint", kMaxFingerprintBytes + 1)),
            "alerts[0]: fingerprint is 65 bytes; the limit is 64");
  EXPECT_EQ(refusal_of(field("endsAt", kMaxShortFieldBytes + 1)),
            "alerts[0]: endsAt is 65 bytes; the limit is 64");
  EXPECT_EQ(refusal_of(R"({"version":"4","alerts":[],"receiver":")" +
                       std::string(kMaxUrlBytes + 1, 'r') + "\"}"),
            "receiver is 8193 bytes; the limit is 8192");
}

TEST(AlertmanagerPayloadBounds, JsonNesting) {
  // The root object is one level; `x` adds the rest.
  auto nested = [](size_t levels) {
    return R"({"version":"4","alerts":[],"x":)" + std::string(levels - 1, '[') +
           std::string(levels - 1, ']') + "}";
  };
  EXPECT_EQ(refusal_of(nested(kMaxJsonDepth)), "(accepted)");
  auto deep = parse_alertmanager_json(nested(kMaxJsonDepth + 1));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().kind, PayloadError::Kind::kTooLarge);
  EXPECT_EQ(deep.error().message, "JSON nesting is 33 levels deep; the limit is 32");
  // Deep enough to overflow a recursive parser's stack: measured, not parsed.
  EXPECT_EQ(refusal_of(nested(1'000'000)), "JSON nesting is 1000000 levels deep; the limit is 32");
}

TEST(AlertmanagerPayloadBounds, TheProtobufFormHasTheSameBounds) {
  tend::AlertNotification n;
  n.set_version("4");
  auto* a = n.add_alerts();
  a->set_status("firing");
  (*a->mutable_labels())["alertname"] = "A";
  (*a->mutable_labels())["instance"] = std::string(kMaxLabelValueBytes, 'v');
  EXPECT_TRUE(from_notification(n));
  (*a->mutable_labels())["instance"] += "v";
  EXPECT_EQ(from_notification(n).error().message,
            "alerts[0]: label 'instance' is 4097 bytes; the limit is 4096");
  (*a->mutable_labels())["instance"] = "web-01";
  for (size_t i = 1; i < kMaxAlertsPerNotification; ++i) *n.add_alerts() = *a;
  EXPECT_TRUE(from_notification(n));
  *n.add_alerts() = *a;
  EXPECT_EQ(from_notification(n).error().kind, PayloadError::Kind::kTooLarge);
}

TEST(AlertTime, ReadsRfc3339AsAlertmanagerAndPrometheusWriteIt) {
  auto utc = parse_rfc3339("2024-02-29T23:59:59.5Z");
  ASSERT_TRUE(utc);
  EXPECT_EQ(format_rfc3339(*utc), "2024-02-29T23:59:59.500Z");
  auto offset = parse_rfc3339("2024-03-01T01:59:59.5+02:00");
  ASSERT_TRUE(offset);
  EXPECT_EQ(*offset, *utc);
  EXPECT_FALSE(parse_rfc3339("2024-03-01 01:59"));
  EXPECT_FALSE(parse_rfc3339("2024-13-01T00:00:00Z"));
  EXPECT_EQ(*parse_rfc3339("0001-01-01T00:00:00Z"), WallTime{});
}

// WallTime counts nanoseconds since 1970 in 64 bits; a body from an
// Alertmanager with a broken clock is refused rather than overflowing them.
TEST(AlertTime, RefusesATimeBeyondWhatItCanHold) {
  for (const char* text : {"0167-11-23T08:43:02Z", "1677-01-01T00:00:00Z", "2263-01-01T00:00:00Z",
                           "9999-12-31T23:59:59Z"}) {
    auto parsed = parse_rfc3339(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_THAT(parsed.error().message,
                HasSubstr("is out of range: tend takes times between the years 1678 and 2261"));
  }
  EXPECT_TRUE(parse_rfc3339("1678-01-01T00:00:00Z"));
  EXPECT_TRUE(parse_rfc3339("2261-12-31T23:59:59Z"));
}

}  // namespace
}  // namespace tend::alerts
