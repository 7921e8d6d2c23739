// Escalations as humans get them: the message itself, and its delivery to a
// generic webhook, Slack and PagerDuty. Slack and PagerDuty cannot be reached
// from here: a local cpp-httplib server stands in for each, and the tests
// check that what it receives is in their documented formats (Slack's
// incoming webhooks, PagerDuty's Events API v2).
#include "core/coordinator/alerts/notifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/coordinator/alerts/alert_time.h"
#include "core/coordinator/alerts/escalation.h"
#include "core/coordinator/alerts/notifier_format.h"
#include "tests/plugins/support/loopback_http_server.h"
#include "tests/support/eventually.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using testing::eventually;
using ::testing::HasSubstr;

Incident failed_fix() {
  Incident i;
  i.id = 42;
  i.fingerprint = "1769da58daff90b1";
  i.alertname = "DiskFull";
  i.labels = {{"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"severity", "critical"}};
  i.annotations = {{"summary", "disk 92% full"}};
  i.generator_url = "http://prometheus:9090/graph?g0.expr=disk";
  i.host = "web-01";
  i.pattern = "disk-full";
  i.plugin = "disk-cleanup";
  i.target = "hosts=web-01";
  i.task_id = "t-abc";
  i.automatic = true;
  i.started_at = *parse_rfc3339("2026-01-10T02:14:00Z");
  i.dispatched_at = *parse_rfc3339("2026-01-10T02:15:00Z");
  i.summary = "0/1 succeeded; web-01 FAILED: /var/log is on a read-only filesystem";
  return i;
}

TEST(Escalation, SaysWhatFiredWhatWasTriedWhatItFoundAndWhatToLookAt) {
  auto e = build_escalation(failed_fix(), kEscalationKind, "the fix failed", "",
                            std::chrono::system_clock::now());
  EXPECT_EQ(e.what_fired(), "DiskFull on web-01: disk 92% full, since 2026-01-10T02:14:00.000Z");
  EXPECT_EQ(e.what_was_tried(), "disk-cleanup on hosts=web-01 (task t-abc, on its own)");
  EXPECT_THAT(e.what_it_found(), HasSubstr("read-only filesystem"));
  EXPECT_THAT(e.look_at(), HasSubstr("web-01: the fix's results are in tendctl incidents "
                                     "(incident 42)"));
  EXPECT_EQ(e.severity(), "critical");
  EXPECT_EQ(headline(e), "DiskFull on web-01: escalated: the fix failed");

  Incident unknown = failed_fix();
  unknown.plugin.clear();
  unknown.dispatched_at = {};
  auto u =
      build_escalation(unknown, kEscalationKind, "no route", "", std::chrono::system_clock::now());
  EXPECT_EQ(u.what_was_tried(), "nothing: no route covers this alert");
  EXPECT_THAT(u.look_at(), HasSubstr("add a route for DiskFull to routes.toml"));
}

TEST(NotifierFormat, SlackGetsAnIncomingWebhookMessage) {
  auto body = json::parse(slack_body(build_escalation(
      failed_fix(), kEscalationKind, "the fix failed", "", std::chrono::system_clock::now())));
  EXPECT_EQ(body["text"], "DiskFull on web-01: escalated: the fix failed");
  ASSERT_TRUE(body["blocks"].is_array());
  const std::string section = body["blocks"][1]["text"]["text"];
  EXPECT_EQ(body["blocks"][1]["text"]["type"], "mrkdwn");
  for (const char* part : {"*What fired:* DiskFull on web-01", "*What was tried:* disk-cleanup",
                           "*What it found:* 0/1 succeeded", "*Look at:* web-01"}) {
    EXPECT_THAT(section, HasSubstr(part));
  }
  EXPECT_THAT(body["blocks"][2]["elements"][0]["text"].get<std::string>(),
              HasSubstr("<http://prometheus:9090/graph?g0.expr=disk|graph>"));
}

TEST(NotifierFormat, PagerDutyGetsAnEventsV2TriggerAndLaterItsResolve) {
  auto trigger =
      json::parse(pagerduty_body(build_escalation(failed_fix(), kEscalationKind, "the fix failed",
                                                  "", std::chrono::system_clock::now()),
                                 "R0UT1NGKEY"));
  EXPECT_EQ(trigger["routing_key"], "R0UT1NGKEY");
  EXPECT_EQ(trigger["event_action"], "trigger");
  EXPECT_EQ(trigger["dedup_key"], "tend-1769da58daff90b1");
  EXPECT_EQ(trigger["payload"]["summary"], "DiskFull on web-01: escalated: the fix failed");
  EXPECT_EQ(trigger["payload"]["source"], "web-01");
  EXPECT_EQ(trigger["payload"]["severity"], "critical");
  EXPECT_EQ(trigger["payload"]["custom_details"]["task_id"], "t-abc");
  EXPECT_EQ(trigger["links"][0]["href"], "http://prometheus:9090/graph?g0.expr=disk");

  auto resolve =
      json::parse(pagerduty_body(build_escalation(failed_fix(), kResolvedKind, "the alert resolved",
                                                  "", std::chrono::system_clock::now()),
                                 "R0UT1NGKEY"));
  EXPECT_EQ(resolve["event_action"], "resolve");
  EXPECT_EQ(resolve["dedup_key"], trigger["dedup_key"]) << "the same page";
}

TEST(NotifierFormat, TheWebhookGetsTheEscalationAsOnNats) {
  auto body = json::parse(webhook_body(build_escalation(
      failed_fix(), kEscalationKind, "the fix failed", "", std::chrono::system_clock::now())));
  EXPECT_EQ(body["kind"], "escalation");
  EXPECT_EQ(body["incident_id"], "42") << "int64 is a string in protobuf's JSON";
  EXPECT_EQ(body["what_fired"],
            "DiskFull on web-01: disk 92% full, since 2026-01-10T02:14:00.000Z");
}

// A stand-in for a receiver: answers each POST with the next status of
// `answers` (then 200), and keeps the bodies.
class Receiver {
 public:
  explicit Receiver(std::vector<int> answers)
      : answers_(std::move(answers)), server_([this](httplib::Server& s) {
          s.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
            std::lock_guard lock(mu_);
            bodies_.push_back(req.body);
            res.status = calls_ < answers_.size() ? answers_[calls_] : 200;
            ++calls_;
          });
        }) {}

  std::string url() const { return server_.url("/hook"); }
  size_t calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }
  std::string body(size_t i) {
    std::lock_guard lock(mu_);
    return bodies_.at(i);
  }

 private:
  std::vector<int> answers_;
  std::mutex mu_;
  size_t calls_ = 0;
  std::vector<std::string> bodies_;
  testing::LoopbackHttpServer server_;
};

NotifierConfig config_for(NotifierConfig::Kind kind, const std::string& url) {
  NotifierConfig c;
  c.kind = kind;
  c.name = std::string(notifier_kind_name(kind));
  c.url = url;
  c.routing_key = "R0UT1NGKEY";
  c.retries = 3;
  c.backoff = 20ms;
  return c;
}

TEST(Notifier, AFailedDeliveryIsTriedAgainWithBackOff) {
  Receiver slack({503, 429});  // Slack is down, then busy, then takes it
  Notifier notifier(config_for(NotifierConfig::Kind::kSlack, slack.url()));
  const auto start = std::chrono::steady_clock::now();
  notifier.notify(build_escalation(failed_fix(), kEscalationKind, "the fix failed", "",
                                   std::chrono::system_clock::now()));
  ASSERT_TRUE(eventually([&] { return notifier.delivered() == 1; }, 5s));
  EXPECT_EQ(slack.calls(), 3u);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 60ms) << "20 ms, then 40 ms between tries";
  EXPECT_EQ(json::parse(slack.body(2))["text"], "DiskFull on web-01: escalated: the fix failed");
}

TEST(Notifier, ARefusedMessageIsNotSentAgain) {
  Receiver pagerduty({400});
  Notifier notifier(config_for(NotifierConfig::Kind::kPagerDuty, pagerduty.url()));
  notifier.notify(
      build_escalation(failed_fix(), kEscalationKind, "x", "", std::chrono::system_clock::now()));
  ASSERT_TRUE(eventually([&] { return notifier.given_up() == 1; }, 5s));
  EXPECT_EQ(pagerduty.calls(), 1u);
  EXPECT_EQ(json::parse(pagerduty.body(0))["event_action"], "trigger");
}

TEST(Notifier, AnEndpointThatStaysDownIsGivenUpAfterItsRetries) {
  Receiver gone({503, 503, 503, 503, 503});
  Notifier notifier(config_for(NotifierConfig::Kind::kWebhook, gone.url()));
  notifier.notify(
      build_escalation(failed_fix(), kEscalationKind, "x", "", std::chrono::system_clock::now()));
  ASSERT_TRUE(eventually([&] { return notifier.given_up() == 1; }, 5s));
  EXPECT_EQ(gone.calls(), 4u) << "the first try and 3 retries";
}

TEST(Notifier, PagerDutyIsNotPagedForApprovalsUnlessAskedTo) {
  Receiver pagerduty({});
  auto config = config_for(NotifierConfig::Kind::kPagerDuty, pagerduty.url());
  config.approvals = false;
  Notifier notifier(config);
  notifier.notify(build_escalation(failed_fix(), kApprovalRequestKind, "x", "",
                                   std::chrono::system_clock::now()));
  notifier.notify(
      build_escalation(failed_fix(), kEscalationKind, "x", "", std::chrono::system_clock::now()));
  ASSERT_TRUE(eventually([&] { return notifier.delivered() == 1; }, 5s));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(pagerduty.calls(), 1u);
}

}  // namespace
}  // namespace tend::alerts
