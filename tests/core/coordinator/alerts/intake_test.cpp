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
  AlertIntake intake(WebhookAuth("s3cret"), 1 << 20, [&](AlertBatch b) {
    got.push_back(std::move(b));
    return true;
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
  AlertIntake intake(WebhookAuth(""), 1 << 20, [](AlertBatch) { return true; });
  EXPECT_EQ(intake.webhook("", "{oops").status, 400);
  EXPECT_EQ(intake.webhook("", R"({"version":"2","alerts":[]})").status, 422);
  EXPECT_EQ(intake.webhook("", R"({"version":"4","alerts":[{"status":"firing"}]})").status, 400);
}

TEST(Webhook, AFullQueueAsksAlertmanagerToRetry) {
  AlertIntake intake(WebhookAuth(""), 1 << 20, [](AlertBatch) { return false; });
  EXPECT_EQ(intake.webhook("", kBody).status, 503);
}

TEST(AlertDeduplicator, TheSameFingerprintWithinTheWindowIsOneOccurrence) {
  AlertDeduplicator dedupe(5min);
  const WallTime t0 = WallClock::now();
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
  const WallTime t0 = WallClock::now();
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
  EXPECT_TRUE(config->warnings.empty());
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
  EXPECT_THAT(typo.error().message, HasSubstr("'urll' is not known"));
}

TEST(AlertsConfig, ABadValueNamesItsLine) {
  auto bad = config_from("[confidence]\nrun_alone_above = 0.9\napproval_from = 1.5\n");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("coordinator.toml:3: [confidence] approval_from"));
  auto window = config_from("[alerts]\ndedupe_window = \"soon\"\n");
  ASSERT_FALSE(window);
  EXPECT_THAT(window.error().message, HasSubstr("coordinator.toml:2: [alerts] dedupe_window"));
  auto typo = config_from("[breakers]\nmax_fixes_per_hr = 3\n");
  ASSERT_TRUE(typo);
  ASSERT_EQ(typo->warnings.size(), 1u);
  EXPECT_THAT(typo->warnings[0], HasSubstr("unknown key 'max_fixes_per_hr' in [breakers]"));
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
