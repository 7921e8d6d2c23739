// health-check, through its real .so as the runner loads it: probes a real
// HTTP server and real ports on 127.0.0.1, reports status and latency, fails
// with the reason an on-call engineer needs, and probes nothing in a dry run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/plugins/support/closed_loopback_port.h"
#include "tests/plugins/support/loopback_http_server.h"
#include "tests/support/eventually.h"
#include "tests/support/plugin_harness.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using testing::ClosedLoopbackPort;
using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using testing::PluginHarness;
using ::testing::StartsWith;

PluginHarness health_check() {
  auto harness = PluginHarness::load(TEND_PLUGIN_FILE);
  EXPECT_TRUE(harness) << harness.error().message;
  return std::move(*harness);
}

// A small web application: healthy, broken, slow, and one that answers
// well once and then breaks. Counts the requests it served.
class HealthCheck : public ::testing::Test {
 protected:
  std::string params(const std::string& path, const std::string& more = "") const {
    return R"({"url": ")" + server_.url(path) + "\"" + (more.empty() ? "" : ", " + more) + "}";
  }
  std::string tcp_params(int port) const {
    return R"({"tcp": "127.0.0.1:)" + std::to_string(port) + "\"}";
  }

  std::atomic<int> hits_ = 0;
  std::atomic<int> flaky_hits_ = 0;
  LoopbackHttpServer server_{[this](httplib::Server& s) {
    s.Get("/health", [this](const auto&, auto& res) {
      ++hits_;
      res.set_content("status: ok", "text/plain");
    });
    s.Get("/broken", [this](const auto&, auto& res) {
      ++hits_;
      res.status = 500;
      res.set_content("database unreachable", "text/plain");
    });
    s.Get("/slow", [this](const auto&, auto& res) {
      ++hits_;
      std::this_thread::sleep_for(150ms);
      res.set_content("status: ok", "text/plain");
    });
    s.Get("/flaky",
          [this](const auto&, auto& res) { res.status = ++flaky_hits_ == 1 ? 200 : 503; });
    s.Get("/recovering",
          [this](const auto&, auto& res) { res.status = ++flaky_hits_ == 1 ? 503 : 200; });
  }};
};

TEST_F(HealthCheck, AHealthyUrlSucceedsVerifiedWithStatusAndLatency) {
  auto outcome = health_check().run(params("/health", R"("contains": "ok")"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_TRUE(outcome->verified);
  EXPECT_THAT(outcome->summary, StartsWith("GET " + server_.url("/health") + " answered 200 in "));
  EXPECT_EQ(outcome->outputs.at("status"), "200");
  EXPECT_THAT(outcome->outputs.at("latency_ms"), HasSubstr("ms"));
  EXPECT_GT(outcome->figures.at("latency_ms"), 0);
  EXPECT_EQ(hits_, 2);  // remediate checked, verify checked again
}

TEST_F(HealthCheck, AnUnexpectedStatusFailsAndSaysWhatCameBack) {
  auto outcome = health_check().run(params("/broken"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error, "GET " + server_.url("/broken") + ": answered 500, expected 200");
  EXPECT_EQ(outcome->outputs.at("status"), "500");
}

TEST_F(HealthCheck, TheExpectedStatusAndBodyTextAreTheTasksToChoose) {
  auto outcome =
      health_check().run(params("/broken", R"("expect_status": 500, "contains": "database")"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
}

TEST_F(HealthCheck, AnAnswerOverTheLatencyBoundFailsWithTheMeasuredLatency) {
  auto outcome = health_check().run(params("/slow", R"("max_latency_ms": 50)"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("answered 200 in "));
  EXPECT_THAT(outcome->error, HasSubstr("over the 50 ms bound"));
  EXPECT_GE(outcome->figures.at("latency_ms"), 150);
  // The measured figure is the one in the message.
  EXPECT_THAT(outcome->error, HasSubstr(outcome->outputs.at("latency_ms")));
}

TEST_F(HealthCheck, AnAnswerWithinTheBoundPasses) {
  auto outcome = health_check().run(params("/health", R"("max_latency_ms": 2000)"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
}

TEST_F(HealthCheck, VerifyLooksAgainAndFailsWhenTheServiceBrokeMeanwhile) {
  auto outcome = health_check().run(params("/flaky"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_FALSE(outcome->verified);
  EXPECT_EQ(outcome->error, "verify failed: GET " + server_.url("/flaky") +
                                ": answered 503, expected 200; the plugin has no rollback");
}

TEST_F(HealthCheck, RetriesGiveARecoveringServiceAnotherChance) {
  auto outcome = health_check().run(params("/recovering", R"("retries": 2)"));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("tries"), "2");
  EXPECT_THAT(outcome->summary, HasSubstr("(2 tries)"));
}

TEST_F(HealthCheck, ATcpPortThatListensPasses) {
  auto outcome = health_check().run(tcp_params(server_.port()));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_THAT(outcome->summary, HasSubstr("accepted the connection in "));
  EXPECT_EQ(outcome->outputs.count("status"), 0u);
  EXPECT_GE(outcome->figures.at("latency_ms"), 0);
}

TEST_F(HealthCheck, AClosedTcpPortFails) {
  ClosedLoopbackPort closed;
  auto outcome = health_check().run(tcp_params(closed.port()));
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("TCP 127.0.0.1:" + std::to_string(closed.port())));
  EXPECT_THAT(outcome->error, HasSubstr("Connection refused"));
}

TEST_F(HealthCheck, ADryRunSaysWhatItWouldCheckAndProbesNothing) {
  auto outcome = health_check().run(params("/health", R"("max_latency_ms": 250)"),
                                    /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded);
  EXPECT_EQ(outcome->summary,
            "would check: GET " + server_.url("/health") + " expecting 200 within 250 ms");
  EXPECT_EQ(hits_, 0);
}

TEST_F(HealthCheck, CancellationStopsTheRetries) {
  auto harness = health_check();
  std::thread canceller([&] {
    testing::eventually([&] { return hits_ > 0; });
    harness.cancel() = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto outcome = harness.run(params("/broken", R"("retries": 10)"));
  canceller.join();
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);  // ten retries would take 10 s
  // The cancel lands while the first answer is read or during the pause
  // after it; either way no further try starts.
  EXPECT_THAT(outcome->error, HasSubstr("GET " + server_.url("/broken") + ": cancelled"));
  EXPECT_EQ(hits_, 1);
}

TEST_F(HealthCheck, OtherHostsAreRefusedUnlessTheOperatorAllowsThem) {
  auto outcome = health_check().run(R"({"tcp": "db-01.internal:5432"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("db-01.internal is not this node's loopback"));
  EXPECT_THAT(outcome->error, HasSubstr("[plugin.health-check] allow_hosts"));
}

TEST_F(HealthCheck, AHostTheOperatorListsInAllowHostsMayBeChecked) {
  auto harness = health_check();
  ASSERT_TRUE(harness.set_settings(R"(allow_hosts = ["db-01.internal:5432"])"));
  auto outcome = harness.run(R"({"tcp": "db-01.internal:5432"})", /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->summary, "would check: TCP db-01.internal:5432");
}

TEST_F(HealthCheck, ExactlyOneOfUrlAndTcpIsGiven) {
  for (const char* params : {R"({})", R"({"url": "http://127.0.0.1/", "tcp": "127.0.0.1:80"})"}) {
    auto outcome = health_check().run(params);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_FALSE(outcome->succeeded);
    EXPECT_THAT(outcome->error, HasSubstr("give exactly one of url"));
  }
}

TEST_F(HealthCheck, BadParamsAreRefusedBeforeAnythingIsProbed) {
  auto scheme = health_check().run(R"({"url": "ftp://127.0.0.1/"})");
  ASSERT_FALSE(scheme);
  EXPECT_THAT(scheme.error().message, HasSubstr("url"));

  auto bound = health_check().run(params("/health", R"("max_latency_ms": 0)"));
  ASSERT_TRUE(bound) << bound.error().message;
  EXPECT_FALSE(bound->succeeded);
  EXPECT_THAT(bound->error, HasSubstr("max_latency_ms must be between 1 and 300000"));

  auto mixed = health_check().run(R"({"tcp": "127.0.0.1:80", "contains": "ok"})");
  ASSERT_TRUE(mixed) << mixed.error().message;
  EXPECT_THAT(mixed->error, HasSubstr("are for url, not tcp"));
  EXPECT_EQ(hits_, 0);
}

}  // namespace
}  // namespace tend
