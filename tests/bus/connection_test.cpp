// The connection against a real nats-server.
#include "bus/connection.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>

#include "schemas/task.pb.h"
#include "tests/support/nats_server.h"

namespace tend {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Connection> connect_to_test_server() {
  ConnectionOptions options;
  options.servers = {testing::NatsServer::shared().url()};
  auto conn = Connection::connect(options);
  EXPECT_TRUE(conn) << conn.error().message;
  return std::move(*conn);
}

TEST(Connection, RefusedConnectionSaysWhere) {
  ConnectionOptions options;
  options.servers = {"nats://127.0.0.1:1"};
  options.connect_timeout = 500ms;
  auto conn = Connection::connect(options);
  ASSERT_FALSE(conn);
  EXPECT_NE(conn.error().message.find("cannot connect to NATS at nats://127.0.0.1:1"),
            std::string::npos)
      << conn.error().message;
}

TEST(Connection, RequestIsAnsweredInTheRequestsEncoding) {
  auto server = connect_to_test_server();
  auto client = connect_to_test_server();
  auto sub = server->subscribe("test.echo", [&](Message msg) {
    tend::Task task;
    ASSERT_TRUE(msg.decode(task));
    task.set_reason("echoed");
    ASSERT_TRUE(server->respond(msg, task));
  });
  ASSERT_TRUE(sub);
  ASSERT_TRUE(server->flush(2s));

  tend::Task task;
  task.set_plugin("noop");
  for (auto encoding : {Encoding::kJson, Encoding::kProtobuf}) {
    auto reply = client->request("test.echo", task, encoding, 2s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->encoding(), encoding);
    tend::Task back;
    ASSERT_TRUE(reply->decode(back));
    EXPECT_EQ(back.reason(), "echoed");
  }
}

TEST(Connection, RequestWithNobodyListeningSaysSo) {
  auto client = connect_to_test_server();
  auto reply = client->request_raw("test.nobody.home", "{}", 1s);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message, "nobody is listening on 'test.nobody.home'");
}

TEST(Connection, AHandlerThatThrowsDoesNotStopDelivery) {
  auto conn = connect_to_test_server();
  std::mutex mu;
  std::condition_variable cv;
  int seen = 0;
  auto sub = conn->subscribe("test.throw", [&](Message) {
    std::lock_guard lock(mu);
    ++seen;
    cv.notify_all();
    throw std::runtime_error("boom");
  });
  ASSERT_TRUE(sub);
  ASSERT_TRUE(conn->publish_raw("test.throw", "1"));
  ASSERT_TRUE(conn->publish_raw("test.throw", "2"));
  std::unique_lock lock(mu);
  EXPECT_TRUE(cv.wait_for(lock, 2s, [&] { return seen == 2; }));
}

}  // namespace
}  // namespace tend
