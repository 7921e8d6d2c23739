// The coordinator's HTTP listener within [http]'s bounds, with real sockets
// on loopback: how many connections, how many from one client, how long a
// request may take to arrive, how long and how often a connection is kept.
// Each bound: just within it is served, just past it is refused or cut off.
#include "core/coordinator/http_listener.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "tests/support/eventually.h"
#include "tests/support/raw_tcp_client.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RawTcpClient;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

constexpr const char* kRequest = "GET /healthz HTTP/1.1\r\nHost: tend\r\n\r\n";
// The first line only: a request that has not finished arriving.
constexpr const char* kStarted = "GET /healthz HTTP/1.1\r\n";
constexpr auto kPrompt = 2s;  // what "at once" means on a loaded test machine

class HttpListenerTest : public ::testing::Test {
 protected:
  void start(HttpLimits limits) {
    auto started = HttpListener::start(
        "127.0.0.1", 0, limits,
        [](httplib::Server& s) {
          s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
            res.set_content("ok\n", "text/plain");
          });
        },
        [this] { ++refused; });
    ASSERT_TRUE(started) << started.error().message;
    listener = std::move(*started);
  }

  std::unique_ptr<RawTcpClient> client(const std::string& from = "127.0.0.1") {
    auto c = std::make_unique<RawTcpClient>(from, listener->port());
    EXPECT_TRUE(c->connected());
    return c;
  }

  std::atomic<int> refused{0};
  std::unique_ptr<HttpListener> listener;
};

TEST_F(HttpListenerTest, AConnectionPastMaxConnectionsIsAnswered503NamingTheLimit) {
  start({.max_connections = 4, .max_connections_per_client = 4});
  std::vector<std::unique_ptr<RawTcpClient>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(client("127.0.0.2"));
    ASSERT_TRUE(held.back()->send(kStarted));
  }
  auto one_more = client();
  auto answer = one_more->read_until_closed(kPrompt);
  ASSERT_TRUE(answer) << "refused at once, not held";
  EXPECT_THAT(*answer, StartsWith("HTTP/1.1 503"));
  EXPECT_THAT(*answer, HasSubstr("HTTP listener busy: 4 connections open; the limit is 4"));
  testing::eventually([&] { return refused > 0; });  // counted once the socket is closed
  EXPECT_EQ(refused, 1);

  // The fourth, just within the bound, is served once its request is whole.
  ASSERT_TRUE(held.back()->send("\r\n"));
  auto served = held.back()->read_response(kPrompt);
  ASSERT_TRUE(served);
  EXPECT_THAT(*served, StartsWith("HTTP/1.1 200"));
}

TEST_F(HttpListenerTest, OneClientGetsItsShareAndTheOthersStillGetIn) {
  start({.max_connections = 16, .max_connections_per_client = 2});
  auto first = client("127.0.0.2");
  auto second = client("127.0.0.2");
  // Each connection is admitted on a thread of its own, in no set order:
  // both hold theirs (served once, kept alive, the next request begun)
  // before the third comes.
  for (auto* held : {first.get(), second.get()}) {
    ASSERT_TRUE(held->send(kRequest));
    ASSERT_TRUE(held->read_response(kPrompt));
    ASSERT_TRUE(held->send(kStarted));
  }
  auto third = client("127.0.0.2");
  auto answer = third->read_until_closed(kPrompt);
  ASSERT_TRUE(answer);
  EXPECT_THAT(*answer, HasSubstr("HTTP listener busy: 2 connections open from 127.0.0.2; the "
                                 "limit is 2"));

  auto other = client("127.0.0.1");
  const auto asked = Clock::now();
  ASSERT_TRUE(other->send(kRequest));
  auto served = other->read_response(kPrompt);
  ASSERT_TRUE(served) << "another client is served while one holds its share";
  EXPECT_THAT(*served, StartsWith("HTTP/1.1 200"));
  EXPECT_LT(Clock::now() - asked, kPrompt);
}

// Time is counted over the whole request: sending a byte now and then does
// not keep a connection.
TEST_F(HttpListenerTest, ARequestMustArriveWholeWithinTheRequestTimeout) {
  start({.request_timeout = 1s});
  auto slow = client();
  ASSERT_TRUE(slow->send(kStarted));
  std::atomic<bool> stop{false};
  std::thread dribbler([&] {
    while (!stop && slow->send("X")) std::this_thread::sleep_for(100ms);
  });
  const auto started = Clock::now();
  auto closed = slow->read_until_closed(5s);
  stop = true;
  dribbler.join();
  ASSERT_TRUE(closed) << "a dribbling client is cut off";
  EXPECT_GE(Clock::now() - started, 900ms);
  EXPECT_LT(Clock::now() - started, 4s);

  // Within the timeout, a request in pieces is served.
  auto pieces = client();
  ASSERT_TRUE(pieces->send(kStarted));
  std::this_thread::sleep_for(300ms);  // the pause under test, not a wait for a condition
  ASSERT_TRUE(pieces->send("Host: tend\r\n\r\n"));
  auto served = pieces->read_response(kPrompt);
  ASSERT_TRUE(served);
  EXPECT_THAT(*served, StartsWith("HTTP/1.1 200"));
}

TEST_F(HttpListenerTest, AConnectionServesAtMostKeepAliveMaxRequests) {
  start({.keep_alive_max_requests = 2});
  auto c = client();
  ASSERT_TRUE(c->send(kRequest));
  auto first = c->read_response(kPrompt);
  ASSERT_TRUE(first);
  EXPECT_THAT(*first, Not(HasSubstr("Connection: close")));
  ASSERT_TRUE(c->send(kRequest));
  auto second = c->read_response(kPrompt);
  ASSERT_TRUE(second) << "the second request is within the bound";
  EXPECT_THAT(*second, HasSubstr("Connection: close"));
  EXPECT_TRUE(c->read_until_closed(kPrompt)) << "and then the connection is closed";
}

TEST_F(HttpListenerTest, AnIdleConnectionIsClosedAfterKeepAliveTimeout) {
  start({.keep_alive_timeout = 1s});
  auto c = client();
  ASSERT_TRUE(c->send(kRequest));
  ASSERT_TRUE(c->read_response(kPrompt));
  std::this_thread::sleep_for(300ms);  // idle, but less than keep_alive_timeout
  ASSERT_TRUE(c->send(kRequest));
  ASSERT_TRUE(c->read_response(kPrompt)) << "served: it came within keep_alive_timeout";
  const auto idle_from = Clock::now();
  ASSERT_TRUE(c->read_until_closed(4s));
  EXPECT_GE(Clock::now() - idle_from, 900ms);

  auto silent = client();
  EXPECT_TRUE(silent->read_until_closed(4s)) << "a connection that never asks is closed too";
}

}  // namespace
}  // namespace tend
