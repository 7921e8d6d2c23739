// The health probe that service-restart and health-check share: where it may
// point, and what it reports about real HTTP(S) servers and TCP ports on
// this machine's loopback.
#include "plugins/support/health_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "plugins/support/probe_target.h"
#include "tests/plugins/support/closed_loopback_port.h"
#include "tests/plugins/support/loopback_http_server.h"
#include "tests/support/child_process.h"
#include "tests/support/eventually.h"
#include "tests/support/temp_dir.h"

namespace tend::plugins {
namespace {

using namespace std::chrono_literals;
using testing::ClosedLoopbackPort;
using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using ::testing::StartsWith;

ProbeTarget url(const std::string& text) {
  std::string why;
  auto target = parse_probe_url(text, &why);
  EXPECT_TRUE(target) << why;
  return target.value_or(ProbeTarget{});
}

ProbeTarget tcp(const std::string& text) {
  std::string why;
  auto target = parse_probe_tcp(text, &why);
  EXPECT_TRUE(target) << why;
  return target.value_or(ProbeTarget{});
}

std::string refusal_of_url(const std::string& text) {
  std::string why;
  EXPECT_FALSE(parse_probe_url(text, &why)) << text;
  return why;
}

// Routes the probe tests use, like a small web application would answer.
void routes(httplib::Server& s) {
  s.Get("/ok", [](const auto&, auto& res) { res.set_content("all good", "text/plain"); });
  s.Get("/error", [](const auto&, auto& res) {
    res.status = 500;
    res.set_content("database unreachable", "text/plain");
  });
  s.Get("/slow", [](const auto&, auto& res) {
    std::this_thread::sleep_for(200ms);
    res.set_content("slow but fine", "text/plain");
  });
  s.Get("/stall", [](const auto&, auto& res) {
    std::this_thread::sleep_for(600ms);
    res.set_content("too late", "text/plain");
  });
  s.Get("/moved", [](const auto&, auto& res) { res.set_redirect("/ok"); });
  s.Get("/big", [](const auto&, auto& res) {
    res.set_content("HEAD" + std::string(3 * 1024 * 1024, 'x') + "TAIL", "text/plain");
  });
}

TEST(ProbeTarget, ReadsAnHttpUrlWithPortPathAndQuery) {
  ProbeTarget t = url("http://127.0.0.1:8080/health?deep=1");
  EXPECT_EQ(t.kind, ProbeTarget::Kind::kHttp);
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.port, 8080);
  EXPECT_EQ(t.path, "/health?deep=1");
  EXPECT_EQ(t.origin(), "http://127.0.0.1:8080");
}

TEST(ProbeTarget, TheSchemeGivesThePortAndTheRootIsThePathWhenNoneIsWritten) {
  EXPECT_EQ(url("http://localhost").port, 80);
  EXPECT_EQ(url("http://localhost").path, "/");
  EXPECT_EQ(url("https://localhost").port, 443);
  EXPECT_EQ(url("https://localhost").kind, ProbeTarget::Kind::kHttps);
}

TEST(ProbeTarget, ReadsIpv6LiteralsInBrackets) {
  ProbeTarget t = url("http://[::1]:9000/");
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.origin(), "http://[::1]:9000");
  EXPECT_EQ(tcp("[::1]:5432").port, 5432);
}

TEST(ProbeTarget, RefusesOtherSchemesBadPortsAndUserInfo) {
  EXPECT_THAT(refusal_of_url("ftp://127.0.0.1/"), HasSubstr("not an http:// or https:// URL"));
  EXPECT_THAT(refusal_of_url("http://127.0.0.1:99999/"), HasSubstr("not a port"));
  EXPECT_THAT(refusal_of_url("http://:80/"), HasSubstr("host is missing"));
  // Reads as local, would go elsewhere.
  EXPECT_THAT(refusal_of_url("http://127.0.0.1@db-01/"), HasSubstr("user info"));
  EXPECT_THAT(refusal_of_url("http://127.0.0.1/a b"), HasSubstr("%-encoded"));
}

TEST(ProbeTarget, ATcpTargetNeedsAPort) {
  std::string why;
  EXPECT_FALSE(parse_probe_tcp("127.0.0.1", &why));
  EXPECT_THAT(why, HasSubstr("needs a port"));
}

TEST(ProbeTarget, LoopbackIsJudgedFromTheAddressNotFromHowANameStarts) {
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("127.1.2.3"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.example.com"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
  EXPECT_FALSE(is_loopback_host("localhost.example.com"));
}

TEST(ProbeTarget, OtherHostsOnlyWhenTheOperatorListsThem) {
  ProbeTarget db = tcp("db-01:5432");
  EXPECT_THAT(probe_refusal(db, {}, "health-check"),
              HasSubstr("not in [plugin.health-check] allow_hosts"));
  EXPECT_EQ(probe_refusal(db, {"db-01"}, "health-check"), "");
  EXPECT_EQ(probe_refusal(db, {"DB-01:5432"}, "health-check"), "");
  EXPECT_NE(probe_refusal(db, {"db-01:5433"}, "health-check"), "");
  EXPECT_EQ(probe_refusal(tcp("127.0.0.1:5432"), {}, "health-check"), "");
}

TEST(HealthProbe, AnExpectedStatusIsHealthyAndTheLatencyIsMeasured) {
  LoopbackHttpServer server(routes);
  ProbeResult r = probe(url(server.url("/ok")), {});
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.status, 200);
  EXPECT_GT(r.latency.count(), 0);
  EXPECT_THAT(r.describe(), StartsWith("answered 200 in "));
}

TEST(HealthProbe, AnotherStatusFailsAndSaysWhichItWas) {
  LoopbackHttpServer server(routes);
  ProbeResult r = probe(url(server.url("/error")), {});
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.answered);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.reason, "answered 500, expected 200");
}

TEST(HealthProbe, TheExpectedStatusIsWhateverTheTaskSays) {
  LoopbackHttpServer server(routes);
  EXPECT_TRUE(probe(url(server.url("/error")), {.expect_status = 500}).ok);
}

TEST(HealthProbe, RedirectsAreReportedNotFollowed) {
  LoopbackHttpServer server(routes);
  ProbeResult r = probe(url(server.url("/moved")), {});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "answered 302, expected 200");
}

TEST(HealthProbe, TheBodyMustContainTheTextWhenOneIsGiven) {
  LoopbackHttpServer server(routes);
  EXPECT_TRUE(probe(url(server.url("/ok")), {.contains = "good"}).ok);
  ProbeResult r = probe(url(server.url("/ok")), {.contains = "database"});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "answered 200 but the body does not contain \"database\"");
}

TEST(HealthProbe, OnlyTheFirstMebibyteOfABodyIsSearched) {
  LoopbackHttpServer server(routes);
  EXPECT_TRUE(probe(url(server.url("/big")), {.contains = "HEAD"}).ok);
  EXPECT_FALSE(probe(url(server.url("/big")), {.contains = "TAIL"}).ok);
}

TEST(HealthProbe, AnAnswerSlowerThanTheBoundFailsWithTheMeasuredLatency) {
  LoopbackHttpServer server(routes);
  ProbeResult r = probe(url(server.url("/slow")), {.max_latency = 50ms});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.status, 200);
  EXPECT_GE(r.latency, 200ms);
  EXPECT_THAT(r.reason, HasSubstr("answered 200 in " + format_latency(r.latency)));
  EXPECT_THAT(r.reason, HasSubstr("over the 50 ms bound"));
}

TEST(HealthProbe, AServiceThatDoesNotAnswerInTimeIsGivenUpOn) {
  LoopbackHttpServer server(routes);
  auto started = std::chrono::steady_clock::now();
  ProbeResult r = probe(url(server.url("/stall")), {.timeout = 50ms});
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.answered);
  EXPECT_THAT(r.reason, HasSubstr("no complete answer"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
}

TEST(HealthProbe, ARefusedConnectionSaysSo) {
  ClosedLoopbackPort closed;
  ProbeResult r = probe(url("http://127.0.0.1:" + std::to_string(closed.port()) + "/"), {});
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.answered);
  EXPECT_THAT(r.reason,
              HasSubstr("could not connect to 127.0.0.1:" + std::to_string(closed.port())));
}

TEST(HealthProbe, CancellationCutsShortABodyThatIsStillArriving) {
  std::atomic<bool> stop_serving = false;
  LoopbackHttpServer server([&](httplib::Server& s) {
    s.Get("/stream", [&](const auto&, auto& res) {
      res.set_chunked_content_provider("text/plain", [&](size_t, httplib::DataSink& sink) {
        std::this_thread::sleep_for(20ms);
        sink.write("tick\n", 5);
        return !stop_serving.load();
      });
    });
  });
  std::atomic<bool> cancel = false;
  std::thread canceller([&] {
    std::this_thread::sleep_for(100ms);
    cancel = true;
  });
  auto started = std::chrono::steady_clock::now();
  ProbeResult r =
      probe(url(server.url("/stream")), {.timeout = 10s}, [&] { return cancel.load(); });
  auto took = std::chrono::steady_clock::now() - started;
  canceller.join();
  stop_serving = true;
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "stopped: the task was cancelled");
  EXPECT_LT(took, 2s);
}

TEST(HealthProbe, ATcpPortThatListensIsHealthy) {
  LoopbackHttpServer server(routes);
  ProbeResult r = probe(tcp("127.0.0.1:" + std::to_string(server.port())), {});
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.status, 0);
  EXPECT_THAT(r.describe(), StartsWith("accepted the connection in "));
}

TEST(HealthProbe, ATcpPortNobodyListensOnIsRefused) {
  ClosedLoopbackPort closed;
  ProbeResult r = probe(tcp("127.0.0.1:" + std::to_string(closed.port())), {});
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.reason, HasSubstr("Connection refused"));
}

// A certificate for 127.0.0.1 from a private CA (itself), made with the
// openssl tool: what a service with an internal certificate presents.
class HttpsProbe : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = testing::run_to_completion(
        {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
         (dir_.path() / "key.pem").string(), "-out", cert_.string()},
        dir_.path(), "openssl", 30s);
    ASSERT_TRUE(made) << made.error().message;
    ASSERT_EQ(made->exit_code, 0) << made->err;
    server_ =
        std::make_unique<httplib::SSLServer>(cert_.c_str(), (dir_.path() / "key.pem").c_str());
    ASSERT_TRUE(server_->is_valid());
    server_->Get("/ok", [](const auto&, auto& res) { res.set_content("secure", "text/plain"); });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    ASSERT_TRUE(testing::eventually([this] { return server_->is_running(); }, 5s, 1ms));
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string ok_url() const { return "https://127.0.0.1:" + std::to_string(port_) + "/ok"; }

  testing::TempDir dir_{"tend-https-probe"};
  std::filesystem::path cert_ = dir_.path() / "cert.pem";
  std::unique_ptr<httplib::SSLServer> server_;
  int port_ = 0;
  std::thread thread_;
};

TEST_F(HttpsProbe, ACertificateFromTheGivenCaIsTrusted) {
  ProbeResult r = probe(url(ok_url()), {.contains = "secure", .ca_file = cert_.string()});
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.status, 200);
}

TEST_F(HttpsProbe, ACertificateTheSystemDoesNotTrustFailsVerification) {
  ProbeResult r = probe(url(ok_url()), {});
  EXPECT_FALSE(r.ok);
  EXPECT_THAT(r.reason, HasSubstr("did not verify against the system's CAs"));
}

}  // namespace
}  // namespace tend::plugins
