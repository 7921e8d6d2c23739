// The real tend-coordinator's webhook under slow and greedy clients: a crowd
// of connections dribbling their requests a byte at a time cannot stall the
// next Alertmanager delivery, each bound answers with its name, and a request
// that is wrong is told what is wrong and acted on no further.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "tests/integration/alert_stack.h"
#include "tests/support/raw_tcp_client.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

constexpr const char* kRoutes = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "noop"
)";

constexpr const char* kDelivery =
    R"({"version":"4","receiver":"tend","alerts":[{"status":"firing",)"
    R"("labels":{"alertname":"DiskFull","instance":"web-01:9100"}}]})";

constexpr int kSlowClients = 100;  // from one address, far past its share (8)
constexpr auto kRequestTimeout = 5s;

// Sends one byte of a never-ending header to each client in turn, until told
// to stop: the slowloris way of holding connections.
class Dribbler {
 public:
  explicit Dribbler(std::vector<std::unique_ptr<RawTcpClient>>& clients)
      : thread_([this, &clients] {
          while (!stop_) {
            for (auto& c : clients) (void)c->send("x");
            std::this_thread::sleep_for(200ms);
          }
        }) {}
  ~Dribbler() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(WebhookBounds, SlowClientsCannotStallAlertmanagersDeliveries) {
  AlertStack s({.routes = kRoutes, .http = "request_timeout = \"5s\"\n"});
  if (!s.available()) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run scripts/test";
  ASSERT_TRUE(s.start()) << s.stack().logs();

  // A crowd from one address, each starting a request it never finishes.
  std::vector<std::unique_ptr<RawTcpClient>> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    slow.push_back(std::make_unique<RawTcpClient>("127.0.0.2", s.webhook_port()));
    ASSERT_TRUE(slow.back()->connected());
    (void)slow.back()->send("POST /alertmanager HTTP/1.1\r\nHost: tend\r\nX-Slow: ");
    std::this_thread::sleep_for(10ms);  // pacing, so refusals are answered one by one
  }
  // Those past their share are told so at once, naming the limit; the
  // others hold a connection each.
  int refused = 0;
  std::vector<std::unique_ptr<RawTcpClient>> holding;
  for (auto& c : slow) {
    auto answer = c->read_until_closed(200ms);
    if (answer && answer->find("HTTP listener busy: 8 connections open from 127.0.0.2; the "
                               "limit is 8") != std::string::npos) {
      ++refused;
    } else {
      holding.push_back(std::move(c));
    }
  }
  EXPECT_EQ(refused, kSlowClients - 8);
  ASSERT_EQ(holding.size(), 8u) << s.stack().logs();

  Dribbler dribbler(holding);
  // Alertmanager's delivery, while they dribble, gets through at once.
  httplib::Client alertmanager("127.0.0.1", s.webhook_port());
  alertmanager.set_connection_timeout(2s);
  alertmanager.set_read_timeout(2s);
  const auto sent = Clock::now();
  auto delivered = alertmanager.Post("/alertmanager",
                                     {{"Authorization", std::string("Bearer ") + kWebhookToken}},
                                     kDelivery, "application/json");
  const auto took = Clock::now() - sent;
  ASSERT_TRUE(delivered) << httplib::to_string(delivered.error()) << "\n" << s.stack().logs();
  EXPECT_EQ(delivered->status, 200) << delivered->body;
  EXPECT_LT(took, 1s) << "a delivery waited behind slow clients";

  // And the slow ones are cut off at request_timeout however they dribble.
  for (auto& c : holding) {
    EXPECT_TRUE(c->read_until_closed(kRequestTimeout + 5s)) << "a dribbling client kept its hold";
  }
  EXPECT_EQ(s.wait_for("SELECT count(*) FROM incidents", "1", 10s), "1");
}

TEST(WebhookBounds, ABodyPastMaxBodyIsRefusedNamingBothSizes) {
  AlertStack s({.routes = kRoutes, .extra_config = "max_body = \"1KiB\"\n"});
  if (!s.available()) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run scripts/test";
  ASSERT_TRUE(s.start()) << s.stack().logs();
  httplib::Client client("127.0.0.1", s.webhook_port());
  httplib::Headers auth{{"Authorization", std::string("Bearer ") + kWebhookToken}};
  std::string body = kDelivery;
  body.insert(body.size() - 1, std::string(1024 - body.size(), ' '));  // exactly 1 KiB
  auto within = client.Post("/alertmanager", auth, body, "application/json");
  ASSERT_TRUE(within);
  EXPECT_EQ(within->status, 200) << within->body;
  body.insert(body.size() - 1, " ");
  auto over = client.Post("/alertmanager", auth, body, "application/json");
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_EQ(over->body, "the body is 1025 bytes; the limit is 1024 ([alerts] max_body)\n");
}

TEST(WebhookBounds, ARequestThatIsWrongIsToldWhatIsWrong) {
  AlertStack s({.routes = kRoutes});
  if (!s.available()) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run scripts/test";
  ASSERT_TRUE(s.start()) << s.stack().logs();
  httplib::Client client("127.0.0.1", s.webhook_port());
  const std::string body =
      R"({"version":"4","alerts":[{"status":"firing","labels":{"alertname":"Nope"}}]})";
  httplib::Headers auth{{"Authorization", std::string("Bearer ") + kWebhookToken}};

  auto no_token = client.Post("/alertmanager", body, "application/json");
  ASSERT_TRUE(no_token);
  EXPECT_EQ(no_token->status, 401);
  auto wrong =
      client.Post("/alertmanager", {{"Authorization", "Bearer nope"}}, body, "application/json");
  EXPECT_EQ(wrong->status, 401);
  auto not_json = client.Post("/alertmanager", auth, "{", "application/json");
  EXPECT_EQ(not_json->status, 400);
  EXPECT_THAT(not_json->body, HasSubstr("not JSON"));
  auto old =
      client.Post("/alertmanager", auth, R"({"version":"3","alerts":[]})", "application/json");
  EXPECT_EQ(old->status, 422);
  auto huge = client.Post("/alertmanager", auth, std::string(2 << 20, ' '), "application/json");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->status, 413);
  EXPECT_THAT(huge->body, HasSubstr("max_body"));
  EXPECT_EQ(s.count("SELECT count(*) FROM incidents"), 0) << "nothing refused is acted on";

  auto ok = client.Post("/alertmanager", auth, body, "application/json");
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(s.wait_for("SELECT status FROM incidents", "escalated", 10s), "escalated");
}

}  // namespace
}  // namespace tend::testing
