// The webhook's answers, the bearer token, the dedupe window and the
// [alerts] configuration: the pieces in front of the pipeline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "core/coordinator/alerts/alert_deduplicator.h"
#include "core/coordinator/alerts/alert_intake.h"
#include "core/coordinator/coordinator_config.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr const char* kBody =
    R"({"version":"4","alerts":[{"status":"firing","labels":{"alertname":"DiskFull"}}]})";

TEST(Webhook, OnlyTheConfiguredTokenGetsIn) {
  std::vector<AlertBatch> got;
  AlertIntake intake(WebhookAuth("s3cret"), 1 << 20, [&](AlertBatch b, size_t) {
    got.push_back(std::move(b));
    return Expected<void>{};
  });
  EXPECT_EQ(intake.webhook("", kBody).status, 401);
  EXPECT_THAT(intake.webhook("", kBody).body, HasSubstr("no Authorization header"));
  EXPECT_EQ(intake.webhook("Bearer wrong", kBody).status, 401);
  EXPECT_EQ(intake.webhook("Bearer s3cret2", kBody).status, 401);
  EXPECT_TRUE(got.empty()) << "nothing refused reaches the pipeline";

  auto ok = intake.webhook("Bearer s3cret", kBody);
  EXPECT_EQ(ok.status, 200);
  EXPECT_THAT(ok.body, HasSubstr("\"accepted\":1"));
  // Alertmanager's basic_auth: the password is the token, any user name.
  EXPECT_EQ(intake.webhook("Basic dGVuZDpzM2NyZXQ=", kBody).status, 200);  // tend:s3cret
  EXPECT_EQ(intake.webhook("Basic dGVuZDp3cm9uZw==", kBody).status, 401);  // tend:wrong
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].source, "webhook");
}

TEST(Webhook, BadBodiesGetTheirOwn4xx) {
  AlertIntake intake(WebhookAuth(""), 1 << 20, [](AlertBatch, size_t) { return Expected<void>{}; });
  EXPECT_EQ(intake.webhook("", "{oops").status, 400);
  EXPECT_EQ(intake.webhook("", R"({"version":"2","alerts":[]})").status, 422);
  EXPECT_EQ(intake.webhook("", R"({"version":"4","alerts":[{"status":"firing"}]})").status, 400);
}

TEST(Webhook, AFullQueueAsksAlertmanagerToRetryNamingTheBound) {
  size_t bytes_seen = 0;
  AlertIntake intake(WebhookAuth(""), 1 << 20, [&](AlertBatch, size_t bytes) -> Expected<void> {
    bytes_seen = bytes;
    return make_error("alert loop busy: 100000 events queued; the limit is 100000");
  });
  auto answer = intake.webhook("", kBody);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.body,
            "{\"error\":\"alert loop busy: 100000 events queued; the limit is 100000: "
            "Alertmanager retries\"}\n");
  EXPECT_EQ(bytes_seen, std::string_view(kBody).size());
}

// What an over-bound body gets: the status, and the bound named.
TEST(Webhook, ABodyPastABoundIsRefusedNamingIt) {
  AlertIntake intake(WebhookAuth(""), 1 << 20, [](AlertBatch, size_t) { return Expected<void>{}; });
  std::string alerts;
  for (int i = 0; i < 1001; ++i) {
    alerts += std::string(i ? "," : "") + R"({"status":"firing","labels":{"alertname":"A"}})";
  }
  auto many = intake.webhook("", R"({"version":"4","alerts":[)" + alerts + "]}");
  EXPECT_EQ(many.status, 413);
  EXPECT_THAT(many.body, HasSubstr("alerts has 1001 items; the limit is 1000: set max_alerts"));

  auto long_label = intake.webhook("", R"({"version":"4","alerts":[{"status":"firing","labels":)"
                                       R"({"alertname":"A","instance":")" +
                                           std::string(4097, 'x') + R"("}}]})");
  EXPECT_EQ(long_label.status, 400);
  EXPECT_THAT(long_label.body, HasSubstr("alerts[0]: label 'instance' is 4097 bytes; the limit "
                                         "is 4096"));
  auto deep = intake.webhook(
      "", R"({"version":"4","alerts":[],"x":)" + std::string(40, '[') + std::string(40, ']') + "}");
  EXPECT_EQ(deep.status, 413);
  EXPECT_THAT(deep.body, HasSubstr("JSON nesting is 41 levels deep; the limit is 32"));
}

TEST(AlertDeduplicator, TheSameFingerprintWithinTheWindowIsOneOccurrence) {
  AlertDeduplicator dedupe(5min);
  const WallTime t0 = std::chrono::system_clock::now();
  EXPECT_FALSE(dedupe.duplicate("abc", t0));
  EXPECT_TRUE(dedupe.duplicate("abc", t0 + 1s)) << "the other Alertmanager of the pair";
  EXPECT_TRUE(dedupe.duplicate("abc", t0 + 4min));
  EXPECT_FALSE(dedupe.duplicate("def", t0 + 4min));
  EXPECT_FALSE(dedupe.duplicate("abc", t0 + 5min)) << "past the window: a new occurrence";
  EXPECT_TRUE(dedupe.duplicate("abc", t0 + 6min)) << "and its window starts then";
  dedupe.forget_older_than_window(t0 + 20min);
  EXPECT_EQ(dedupe.size(), 0u);
}

TEST(AlertDeduplicator, RemembersSightingsFromBeforeARestart) {
  AlertDeduplicator dedupe(5min);
  const WallTime t0 = std::chrono::system_clock::now();
  dedupe.seen("abc", t0 - 1min);
  EXPECT_TRUE(dedupe.duplicate("abc", t0));
}

Expected<CoordinatorConfig> config_from(const std::string& text) {
  return read_coordinator_config(toml::parse(text, std::string_view("coordinator.toml")),
                                 "coordinator.toml");
}

TEST(AlertsConfig, DefaultsAreTheDocumentedOnes) {
  auto config =
      config_from("[database]\nurl = \"postgresql://x\"\n[alerts]\nroutes = \"r.toml\"\n");
  ASSERT_TRUE(config) << config.error().message;
  const AlertsConfig& a = config->alerts;
  EXPECT_TRUE(a.enabled());
  EXPECT_EQ(a.dedupe_window, 5min);
  EXPECT_EQ(a.max_body, 1u << 20);
  EXPECT_DOUBLE_EQ(a.confidence.run_alone_above, 0.9);
  EXPECT_DOUBLE_EQ(a.confidence.approval_from, 0.5);
  EXPECT_EQ(a.approvals.ttl, 1h);
  EXPECT_EQ(a.breakers.max_fixes_per_hour, 3u);
  EXPECT_EQ(a.breakers.max_consecutive_failures, 2u);
  EXPECT_DOUBLE_EQ(a.breakers.fleet_failure_rate, 0.10);
}

// An absurd duration is refused naming the key and the range, not clamped.
TEST(AlertsConfig, DurationsHaveARange) {
  auto verdict = [](const std::string& text) {
    auto config = config_from(text);
    return config ? std::string("(read)") : config.error().message;
  };
  EXPECT_EQ(verdict("[alerts]\ndedupe_window = \"7d\"\n"), "(read)");
  EXPECT_EQ(verdict("[alerts]\ndedupe_window = \"8d\"\n"),
            "coordinator.toml:2: [alerts] dedupe_window 691200 is out of range: use 0 to 604800 s");
  EXPECT_EQ(verdict("[alerts]\nhold = \"25h\"\n"),
            "coordinator.toml:2: [alerts] hold 90000 is out of range: use 0 to 86400 s");
  EXPECT_EQ(verdict("[approvals]\nttl = \"31d\"\n"),
            "coordinator.toml:2: [approvals] ttl 2678400 is out of range: use 1 to 2592000 s");
  EXPECT_EQ(verdict("[breakers]\ncool_down = \"30d\"\n"), "(read)");
  EXPECT_EQ(verdict("[[escalation.notifier]]\nkind = \"slack\"\nurl = \"https://x\"\n"
                    "timeout = \"301s\"\n"),
            "coordinator.toml:4: [[escalation.notifier]] #1 timeout 301 is out of range: use 1 to "
            "300 s");
}

TEST(AlertsConfig, StringsAndListsInTheFileHaveBounds) {
  auto verdict = [](const std::string& text) {
    auto config = config_from(text);
    return config ? std::string("(read)") : config.error().message;
  };
  EXPECT_EQ(verdict("[database]\nurl = \"" + std::string(4096, 'u') + "\"\n"), "(read)");
  EXPECT_EQ(verdict("[database]\nurl = \"" + std::string(4097, 'u') + "\"\n"),
            "coordinator.toml:2: database.url is 4097 bytes; the limit is 4096");
  std::string urls;
  for (int i = 0; i <= 100; ++i) urls += "\"http://am:9093\",";
  EXPECT_EQ(verdict("[alerts]\nalertmanager = [" + urls + "]\n"),
            "coordinator.toml:2: alerts.alertmanager has 101 items; the limit is 100");
}

TEST(AlertsConfig, NotifiersAreReadAndChecked) {
  auto config = config_from(R"(
[escalation]
[[escalation.notifier]]
kind = "slack"
url = "https://hooks.slack.com/services/T/B/X"
[[escalation.notifier]]
kind = "pagerduty"
url = "https://events.pagerduty.com/v2/enqueue"
routing_key = "R0UT1NG"
retries = 3
backoff = "2s"
)");
  ASSERT_TRUE(config) << config.error().message;
  ASSERT_EQ(config->alerts.notifiers.size(), 2u);
  EXPECT_EQ(config->alerts.notifiers[0].kind, NotifierConfig::Kind::kSlack);
  EXPECT_TRUE(config->alerts.notifiers[0].approvals);
  EXPECT_EQ(config->alerts.notifiers[1].retries, 3u);
  EXPECT_FALSE(config->alerts.notifiers[1].approvals) << "PagerDuty pages for escalations only";

  auto no_key = config_from("[[escalation.notifier]]\nkind = \"pagerduty\"\nurl = \"https://x\"\n");
  ASSERT_FALSE(no_key);
  EXPECT_THAT(no_key.error().message, HasSubstr("needs routing_key"));
  auto typo =
      config_from("[[escalation.notifier]]\nkind = \"slack\"\nurl = \"https://x\"\nurll = 1\n");
  ASSERT_FALSE(typo);
  EXPECT_THAT(typo.error().message, HasSubstr("coordinator.toml:4: "));
  EXPECT_THAT(typo.error().message,
              HasSubstr("unknown key 'urll' in [[escalation.notifier]] #1 (known: kind, name, url, "
                        "routing_key, retries, backoff, timeout, approvals)"));
}

TEST(AlertsConfig, ABadValueNamesItsLine) {
  auto bad = config_from("[confidence]\nrun_alone_above = 0.9\napproval_from = 1.5\n");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("coordinator.toml:3: [confidence] approval_from"));
  auto window = config_from("[alerts]\ndedupe_window = \"soon\"\n");
  ASSERT_FALSE(window);
  EXPECT_THAT(window.error().message, HasSubstr("coordinator.toml:2: [alerts] dedupe_window"));
  auto typo = config_from("[breakers]\nmax_fixes_per_hr = 3\n");
  ASSERT_FALSE(typo);
  EXPECT_THAT(typo.error().message,
              HasSubstr("coordinator.toml:2: unknown key 'max_fixes_per_hr' in [breakers]"));
}

TEST(AlertsConfig, TheWebhookIsOpenToTheNetworkOnlyWithAToken) {
  auto open = config_from("[http]\nlisten = \"0.0.0.0:9095\"\n");
  ASSERT_FALSE(open);
  EXPECT_THAT(open.error().message, HasSubstr("set [alerts] webhook_token"));
  EXPECT_TRUE(config_from("[http]\nlisten = \"127.0.0.1:9095\"\n"));
  EXPECT_TRUE(config_from("[http]\nlisten = \"[::1]:9095\"\n"));
  EXPECT_TRUE(config_from("[http]\nlisten = \"0.0.0.0:9095\"\n[alerts]\nwebhook_token = \"t\"\n"));
  auto junk = config_from("[http]\nlisten = \"9095\"\n");
  ASSERT_FALSE(junk);
  EXPECT_THAT(junk.error().message, HasSubstr("is not host:port"));
}

TEST(AlertsConfig, TheAlertLoopNeedsADatabase) {
  auto config = config_from("[alerts]\nroutes = \"/etc/tend/routes.toml\"\n");
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("needs [database] url"));
}

}  // namespace
}  // namespace tend::alerts
