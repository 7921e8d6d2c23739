// The agent mesh when nodes go away: a killed agent, a restarted
// nats-server, an agent stopped mid-task. Each test starts a fleet of its
// own, since each changes it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "bus/codec.h"
#include "schemas/progress.pb.h"
#include "schemas/result.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"
#include "tests/integration/mesh_submit.h"
#include "tests/integration/programs.h"
#include "tests/support/message_inbox.h"
#include "tests/support/tend_stack.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// --- nodes that go away --------------------------------------------------

const std::vector<AgentSpec> kTwoWebServers = {
    {"web-01", "web-server", {"production"}},
    {"web-02", "web-server", {"production"}},
};

// Each test here changes its fleet, so each has its own.
class MeshFailures : public ::testing::Test {
 protected:
  void SetUp() override {
    auto started = stack_.start();
    ASSERT_TRUE(started) << started.error().message;
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << stack_.logs();
  }

  TendStack stack_{built_programs(), kTwoWebServers};
};

TEST_F(MeshFailures, AKilledAgentIsReportedUnreachable) {
  stack_.kill_agent("web-02");

  // At once, before the registry notices that web-02 is gone: it is expected,
  // never acknowledges, and is reported as unreachable.
  auto summary = run(stack_, R"({"target": {"roles": ["web-server"]}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->expected(), 2u);
  EXPECT_EQ(summary->succeeded(), 1u);
  EXPECT_FALSE(summary->complete());
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01"));
  EXPECT_THAT(summary->missing(), ElementsAre("web-02"));
  EXPECT_THAT(summary->unreachable(), ElementsAre("web-02"));
  EXPECT_THAT(summary->no_result(), IsEmpty());
  EXPECT_THAT(summary->text(), AllOf(HasSubstr("1/2 succeeded"), HasSubstr("web-02")));

  // Once three of its heartbeat intervals have passed, the registry lists it
  // as offline (it is not forgotten) ...
  auto offline = stack_.wait_not_online("web-02", 15s);
  ASSERT_TRUE(offline) << offline.error().message;
  auto nodes = stack_.nodes();
  ASSERT_TRUE(nodes) << nodes.error().message;
  std::vector<std::string> offline_hosts;
  for (const auto& node : nodes->nodes()) {
    if (!node.online()) offline_hosts.push_back(node.last_heartbeat().host());
  }
  EXPECT_THAT(offline_hosts, ElementsAre("web-02"));

  // ... and a task for its role still expects it, so the summary says that a
  // web server is down instead of reporting the survivors as the whole role.
  summary = run(stack_, R"({"target": {"roles": ["web-server"]}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->expected(), 2u);
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01"));
  EXPECT_FALSE(summary->complete());
  EXPECT_THAT(summary->unreachable(), ElementsAre("web-02"));
  EXPECT_THAT(summary->text(), AllOf(HasSubstr("1/2 succeeded"), HasSubstr("web-02 unreachable")));
}

TEST_F(MeshFailures, WhenNatsServerRestartsEveryoneReconnectsAndCarriesOn) {
  stack_.nats().stop();
  auto restarted = stack_.nats().start();
  ASSERT_TRUE(restarted) << restarted.error().message;
  // Agents, coordinator and this test's client all come back by themselves
  // (reconnect forever, with back-off), and subscriptions with them.
  auto online = stack_.wait_online({"web-01", "web-02"}, 20s);
  ASSERT_TRUE(online) << online.error().message;
  // The registry may still count a node online from before the outage: a
  // heartbeat sent now is what shows it hears tasks again (agents send one
  // as soon as they are back).
  MessageInbox heartbeats;
  auto sub = stack_.client().subscribe("tend.heartbeat.*", heartbeats.handler());
  ASSERT_TRUE(sub);
  std::set<std::string> heard;
  while (heard.size() < 2) {
    auto msg = heartbeats.next(5s);
    ASSERT_TRUE(msg) << "heard again only from " << ::testing::PrintToString(heard);
    heard.insert(std::string(Subjects::last_token(msg->subject())));
  }
  auto summary = run(stack_, R"({"target": {"roles": ["web-server"]}, "plugin": "noop"})");
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->text(), "2/2 succeeded");
}

TEST_F(MeshFailures, AnAgentStoppedDuringATaskStillDeliversItsResult) {
  MessageInbox progress, results, summaries;
  auto s1 = stack_.client().subscribe("tend.progress.slow-1", progress.handler());
  auto s2 = stack_.client().subscribe("tend.result.slow-1", results.handler());
  auto s3 = stack_.client().subscribe("tend.summary.slow-1", summaries.handler());
  ASSERT_TRUE(s1 && s2 && s3);
  ASSERT_TRUE(stack_.client().flush(2s));

  auto reply = stack_.submit_json(R"({"id": "slow-1", "target": {"hosts": ["web-01"]},
                                      "plugin": "noop", "params": {"sleep_ms": 2000},
                                      "wait": false})",
                                  kSubmitTimeout);
  ASSERT_TRUE(reply) << reply.error().message;
  ASSERT_TRUE(reply->accepted()) << reply->accepted().error().message;

  // The agent has the task once it acknowledges it.
  bool acknowledged = false;
  while (!acknowledged) {
    auto msg = progress.next(kArrival);
    ASSERT_TRUE(msg) << "web-01 never acknowledged slow-1";
    auto update = decode_as<tend::Progress>(*msg);
    ASSERT_TRUE(update) << update.error().message;
    acknowledged = update->kind() == tend::Progress::ACK && update->host() == "web-01";
  }

  EXPECT_EQ(stack_.stop_agent("web-01"), 0);

  auto result_msg = results.next(kArrival);
  ASSERT_TRUE(result_msg) << "web-01 stopped without a result for slow-1";
  auto result = decode_as<tend::Result>(*result_msg);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->host(), "web-01");
  // Finished within the shutdown grace, or cancelled: either way, said.
  EXPECT_THAT(result->status(), ::testing::AnyOf(tend::SUCCEEDED, tend::FAILED));

  auto summary_msg = summaries.next(kArrival);
  ASSERT_TRUE(summary_msg) << "no Summary for slow-1";
  auto summary = decode_as<tend::Summary>(*summary_msg);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_THAT(hosts_that_ran(*summary), ElementsAre("web-01"));
}

}  // namespace
}  // namespace tend::testing
