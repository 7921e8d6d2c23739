// What the pipeline tests feed the alert loop: routes, alerts' labels, and
// a listener for what is escalated. Shared by pipeline_*_test.cpp.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/coordinator/alerts/alert.h"
#include "schemas/escalation.pb.h"
#include "tests/support/message_inbox.h"

namespace tend::alerts {

inline constexpr const char* kRoutes = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "noop"
params = { path = "{{ labels.mountpoint }}" }
prior_confidence = 0.95

[[route]]
name = "service-down"
alert = "ServiceDown"
plugin = "noop"
prior_confidence = 0.95
verify_within = "10m"
)";

inline const Labels kDiskFull{
    {"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"mountpoint", "/var"}};
inline const Labels kServiceDown{{"alertname", "ServiceDown"}, {"instance", "web-02:9100"}};

inline constexpr const char* kUnprovenRoute = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "noop"
prior_confidence = 0.6
)";

inline Labels disk_full_on(const std::string& host) {
  return {{"alertname", "DiskFull"}, {"instance", host + ":9100"}, {"mountpoint", "/var"}};
}

inline Labels disk_full_at(const std::string& mountpoint, const std::string& host = "web-01") {
  return {{"alertname", "DiskFull"}, {"instance", host + ":9100"}, {"mountpoint", mountpoint}};
}

// Every escalation published on tend.escalation, decoded.
class Escalations {
 public:
  explicit Escalations(Connection& nats, const Subjects& subjects) {
    auto sub = nats.subscribe(subjects.escalation(), inbox_.handler());
    EXPECT_TRUE(sub);
    if (sub) sub_ = std::move(*sub);
    EXPECT_TRUE(nats.flush(std::chrono::seconds(2)));
  }
  // The next one, decoded.
  tend::Escalation next() {
    auto msg = inbox_.next(std::chrono::seconds(5));
    EXPECT_TRUE(msg) << "no escalation published";
    tend::Escalation e;
    if (msg) {
      EXPECT_EQ(msg->encoding(), Encoding::kJson) << "readable with nats sub";
      EXPECT_TRUE(msg->decode(e)) << msg->data();
    }
    return e;
  }

 private:
  testing::MessageInbox inbox_;
  std::unique_ptr<Subscription> sub_;
};

}  // namespace tend::alerts
