// Session against a real nats-server: what an operator reads when NATS or the
// coordinator is not there.
#include "core/tendctl/session.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "schemas/heartbeat.pb.h"
#include "tests/support/loopback_port.h"
#include "tests/support/nats_server.h"

namespace tend::tendctl {
namespace {

using namespace std::chrono_literals;

class SessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nats_ = std::make_unique<testing::NatsServer>();
    started_ = nats_->start();
  }
  static void TearDownTestSuite() { nats_.reset(); }
  void SetUp() override { ASSERT_TRUE(started_) << started_.error().message; }

  std::unique_ptr<Session> open() {
    GlobalOptions options;
    options.server = nats_->url();
    auto session = Session::open(options);
    EXPECT_TRUE(session) << session.error().message;
    return session ? std::move(*session) : nullptr;
  }

  inline static std::unique_ptr<testing::NatsServer> nats_;
  inline static Expected<void> started_;
};

TEST(NatsUrl, TheFlagThenTheEnvironmentThenLocalhost) {
  GlobalOptions options;
  ::unsetenv("NATS_URL");
  EXPECT_EQ(nats_url(options), "nats://127.0.0.1:4222");
  ::setenv("NATS_URL", "nats://nats.example:4222", 1);
  EXPECT_EQ(nats_url(options), "nats://nats.example:4222");
  options.server = "nats://10.0.0.1:4222";
  EXPECT_EQ(nats_url(options), "nats://10.0.0.1:4222");
  ::unsetenv("NATS_URL");
}

TEST(SessionOpen, NoServerFailsFastNamingTheUrlAndWhatToCheck) {
  GlobalOptions options;
  options.server = "nats://127.0.0.1:" + std::to_string(testing::free_loopback_port());
  options.connect_timeout = 500ms;
  auto started = std::chrono::steady_clock::now();
  auto session = Session::open(options);
  ASSERT_FALSE(session);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  const std::string& message = session.error().message;
  EXPECT_NE(message.find("cannot connect to NATS at " + options.server), std::string::npos)
      << message;
  EXPECT_NE(message.find("is nats-server running there?"), std::string::npos) << message;
}

TEST_F(SessionTest, NoCoordinatorIsSaidInTheOperatorsTerms) {
  auto session = open();
  ASSERT_TRUE(session);
  auto reply = session->ask(session->subjects().nodes(), tend::NodeList(), 2s);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message,
            "no coordinator is answering on tend.nodes at " + nats_->url() +
                ": is tend-coordinator running, connected to this NATS server and using the "
                "subject prefix 'tend'?");
}

TEST_F(SessionTest, ACoordinatorThatDoesNotAnswerInTimeGetsTheCallersHint) {
  auto session = open();
  ASSERT_TRUE(session);
  auto silent = session->conn().subscribe("tend.nodes", [](Message) {});
  ASSERT_TRUE(silent) << silent.error().message;
  ASSERT_TRUE(session->conn().flush(2s));
  auto reply = session->ask("tend.nodes", tend::NodeList(), 200ms, "check its log");
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().message,
            "the coordinator sent no answer on tend.nodes within 1s: check its log");
}

}  // namespace
}  // namespace tend::tendctl
