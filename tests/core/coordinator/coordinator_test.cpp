// The Coordinator against a real nats-server, with agents played by plain
// bus connections.
#include "core/coordinator/coordinator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <random>

#include "core/common/task_id.h"
#include "schemas/progress.pb.h"
#include "tests/core/coordinator/fake_agent.h"
#include "tests/support/eventually.h"
#include "tests/support/message_inbox.h"
#include "tests/support/metrics_text.h"
#include "tests/support/nats_server.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using testing::FakeAgent;

constexpr auto kAckTimeout = 1000ms;  // generous: a loaded CI machine must not look unreachable
constexpr auto kRequestTimeout = 5s;

std::unique_ptr<Connection> connect(const std::string& name) {
  ConnectionOptions options;
  options.servers = {testing::NatsServer::shared().url()};
  options.name = name;
  auto conn = Connection::connect(options);
  EXPECT_TRUE(conn) << conn.error().message;
  return conn ? std::move(*conn) : nullptr;
}

// Every message on one subject, in the order they came, to wait for.
class Collector {
 public:
  Collector(Connection& conn, const std::string& subject) {
    auto sub = conn.subscribe(subject, inbox_.handler());
    EXPECT_TRUE(sub) << sub.error().message;
    if (sub) sub_ = std::move(*sub);
    EXPECT_TRUE(conn.flush(2s));
  }

  // The next message, decoded, waiting for it up to `timeout`.
  template <typename T>
  std::optional<T> next(std::chrono::milliseconds timeout = kRequestTimeout) {
    auto msg = inbox_.next(timeout);
    if (!msg) return std::nullopt;
    auto decoded = testing::decode_as<T>(*msg);
    return decoded ? std::optional<T>(std::move(*decoded)) : std::nullopt;
  }

 private:
  testing::MessageInbox inbox_;
  std::unique_ptr<Subscription> sub_;  // after the inbox: unsubscribed before it goes
};

class CoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A prefix of its own, so tests sharing one server never hear each other.
    config.nats.subject_prefix = fmt::format("c{:x}", std::random_device{}());
    config.tasks.ack_timeout = kAckTimeout;
    config.tasks.grace = 0s;
    config.tasks.default_timeout = 3s;
    config.metrics.textfile_dir = "";  // never into the machine's node_exporter directory
    subjects = Subjects(config.nats.subject_prefix);
    coordinator_conn = connect("coordinator under test");
    client = connect("test operator");
    ASSERT_TRUE(coordinator_conn && client);
    coordinator = std::make_unique<Coordinator>(config, *coordinator_conn, store);
    ASSERT_TRUE(coordinator->start());
    ASSERT_TRUE(coordinator_conn->flush(2s));
  }

  // The coordinator again, with `config` as the test changed it.
  void restart() {
    coordinator.reset();
    coordinator = std::make_unique<Coordinator>(config, *coordinator_conn, store);
    ASSERT_TRUE(coordinator->start());
    ASSERT_TRUE(coordinator_conn->flush(2s));
  }

  // How many refusals the coordinator counted at `bound`, waiting up to the
  // request timeout for at least `at_least`.
  double refusals(std::string_view bound, double at_least) {
    const std::string series = fmt::format("tend_coordinator_refused_total{{bound=\"{}\"}}", bound);
    return testing::read_until(
        [&] { return testing::metric_value(coordinator->metrics().render(), series).value_or(-1); },
        [&](double seen) { return seen >= at_least; }, kRequestTimeout);
  }

  FakeAgent& agent(const std::string& host, const std::string& role, FakeAgent::Behaviour b) {
    agents.push_back(std::make_unique<FakeAgent>(testing::NatsServer::shared().url(), subjects,
                                                 NodeIdentity{host, role, {"prod"}}, b));
    agents.back()->heartbeat();
    return *agents.back();
  }

  tend::NodeList nodes() {
    tend::NodeList list;
    auto reply = client->request_raw(subjects.nodes(), "", kRequestTimeout);
    EXPECT_TRUE(reply) << reply.error().message;
    if (reply) {
      EXPECT_TRUE(reply->decode(list));
    }
    return list;
  }

  // Heartbeats travel on their own subscription: wait until the registry has them.
  void wait_until_online(size_t count) {
    const bool online = testing::eventually(
        [&] {
          auto list = nodes();
          auto online = std::count_if(list.nodes().begin(), list.nodes().end(),
                                      [](const tend::Node& n) { return n.online(); });
          return static_cast<size_t>(online) >= count;
        },
        kRequestTimeout);
    ASSERT_TRUE(online) << "the coordinator never saw " << count << " node(s) online";
  }

  // Submits JSON and returns the raw reply.
  std::string submit(const std::string& json) {
    auto reply = client->request_raw(subjects.submit(), json, kRequestTimeout);
    EXPECT_TRUE(reply) << reply.error().message;
    return reply ? std::string(reply->data()) : "";
  }

  template <typename T>
  T submit_expecting(const std::string& json) {
    std::string reply = submit(json);
    T answer;
    auto ok = decode(reply, Encoding::kJson, answer);
    EXPECT_TRUE(ok) << "reply was: " << reply;
    return answer;
  }

  std::string refusal(const std::string& json) {
    return submit_expecting<tend::ErrorReply>(json).error();
  }

  CoordinatorConfig config;
  Subjects subjects;
  store::NoTaskStore store;
  std::unique_ptr<Connection> coordinator_conn;
  std::unique_ptr<Connection> client;
  std::vector<std::unique_ptr<FakeAgent>> agents;
  std::unique_ptr<Coordinator> coordinator;  // last: stops before the connections go
};

TEST_F(CoordinatorTest, ASubmitByRoleIsAnsweredWithOneSummaryOfEveryResult) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("web-02", "web", FakeAgent::Behaviour::kFail);
  agent("db-01", "db", FakeAgent::Behaviour::kSucceed);
  wait_until_online(3);
  Collector summaries(*client, subjects.summary_any());
  Collector progress(*client, subjects.progress_any());

  auto summary = submit_expecting<tend::Summary>(
      R"({"id": "restart-web", "plugin": "noop", "target": {"roles": ["web"]}})");

  EXPECT_EQ(summary.task_id(), "restart-web");
  EXPECT_EQ(summary.expected(), 2u);
  EXPECT_EQ(summary.responded(), 2u);
  EXPECT_EQ(summary.succeeded(), 1u);
  EXPECT_EQ(summary.failed(), 1u);
  EXPECT_TRUE(summary.complete());
  EXPECT_EQ(summary.text(), "1/2 succeeded; web-02 FAILED: repo error");
  ASSERT_EQ(summary.results_size(), 2);
  EXPECT_EQ(summary.results(0).host(), "web-01");
  EXPECT_EQ(agents[2]->tasks_taken(), 0);  // published on the role subject only

  auto published = summaries.next<tend::Summary>();
  ASSERT_TRUE(published);
  EXPECT_EQ(published->text(), summary.text());
  // Two ACKs and two TALLYs, in some order; the last word is a full tally.
  std::optional<tend::Progress> tally;
  for (size_t n = 1; n <= 4; ++n) {
    auto p = progress.next<tend::Progress>();
    ASSERT_TRUE(p) << "progress message " << n << " never came";
    if (p->kind() == tend::Progress::TALLY) tally = p;
  }
  ASSERT_TRUE(tally);
  EXPECT_EQ(tally->responded(), 2u);
}

// What alerts and schedules use: the coordinator's own tasks.
TEST_F(CoordinatorTest, ATaskOfItsOwnIsDispatchedAndItsSummaryHandedBack) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("web-02", "web", FakeAgent::Behaviour::kFail);
  wait_until_online(2);
  tend::Target web;
  web.add_roles("web");
  EXPECT_EQ(coordinator->expected_hosts(web), (std::vector<std::string>{"web-01", "web-02"}));

  std::promise<tend::Summary> finished;
  tend::Task task;
  task.set_plugin("noop");
  *task.mutable_target() = web;
  coordinator->submit_internal(task, TaskOrigin::kAlert,
                               [&](const tend::Summary& s) { finished.set_value(s); });
  auto future = finished.get_future();
  ASSERT_EQ(future.wait_for(kRequestTimeout), std::future_status::ready);
  tend::Summary summary = future.get();
  EXPECT_FALSE(summary.task_id().empty()) << "an id is made for it";
  EXPECT_EQ(summary.text(), "1/2 succeeded; web-02 FAILED: repo error");
}

TEST_F(CoordinatorTest, AHostThatNeverAcknowledgesIsReportedUnreachableAfterTheAckTimeout) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("web-02", "web", FakeAgent::Behaviour::kSilent);
  wait_until_online(2);

  auto summary = submit_expecting<tend::Summary>(
      R"({"plugin": "noop", "target": {"roles": ["web"], "hosts": ["web-01", "web-02", "web-99"]}})");

  EXPECT_EQ(summary.text(), "1/3 succeeded; web-02, web-99 unreachable");
  EXPECT_FALSE(summary.complete());
  EXPECT_EQ(summary.unreachable_size(), 2);
  EXPECT_GE(summary.duration_ms(), static_cast<uint64_t>(kAckTimeout.count()));
  EXPECT_LT(summary.duration_ms(), 3000u);          // long before the task's own timeout
  EXPECT_EQ(summary.task_id().rfind("t-", 0), 0u);  // an id was assigned
}

TEST_F(CoordinatorTest, BadSubmitsAreRefusedWithWhatIsWrong) {
  EXPECT_NE(refusal("{oops").find("invalid Task JSON"), std::string::npos);
  EXPECT_EQ(refusal(R"({"plugin": "noop", "target": {"all": true}, "colour": "red"})"),
            "invalid Task JSON: unknown field \"colour\"");
  EXPECT_EQ(refusal(R"({"plugin": "noop", "target": {}})"),
            "target is empty: give hosts, roles or tags, or \"all\": true");
  EXPECT_EQ(refusal(R"({"target": {"all": true}})"),
            "plugin is missing: say which plugin to run, e.g. \"plugin\": \"noop\"");
}

TEST_F(CoordinatorTest, AProtobufSubmitIsRefusedInProtobuf) {
  tend::Task task;
  task.set_plugin("noop");
  auto reply = client->request(subjects.submit(), task, Encoding::kProtobuf, kRequestTimeout);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->encoding(), Encoding::kProtobuf);
  tend::ErrorReply error;
  ASSERT_TRUE(reply->decode(error));
  EXPECT_NE(error.error().find("target is empty"), std::string::npos);
}

TEST_F(CoordinatorTest, AnIdAlreadyInFlightIsRefused) {
  agent("web-01", "web", FakeAgent::Behaviour::kAckOnly);
  wait_until_online(1);
  auto accepted = submit_expecting<tend::SubmitAccepted>(
      R"({"id": "once", "plugin": "noop", "target": {"all": true}, "wait": false})");
  ASSERT_EQ(accepted.task_id(), "once");
  EXPECT_NE(refusal(R"({"id": "once", "plugin": "noop", "target": {"all": true}})")
                .find("task id 'once' is already in flight"),
            std::string::npos);
}

TEST_F(CoordinatorTest, WaitFalseIsAcceptedAtOnceAndTheSummaryIsPublishedLater) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("web-02", "web", FakeAgent::Behaviour::kSucceed);
  wait_until_online(2);
  Collector summaries(*client, subjects.summary_any());

  auto accepted = submit_expecting<tend::SubmitAccepted>(
      R"({"plugin": "noop", "target": {"tags": ["prod"]}, "wait": false})");
  EXPECT_FALSE(accepted.task_id().empty());
  EXPECT_EQ(accepted.expected(), 2u);
  ASSERT_EQ(accepted.expected_hosts_size(), 2);
  EXPECT_EQ(accepted.expected_hosts(0), "web-01");

  auto summary = summaries.next<tend::Summary>();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->task_id(), accepted.task_id());
  EXPECT_EQ(summary->text(), "2/2 succeeded");
}

TEST_F(CoordinatorTest, NoMatchingNodeIsAnsweredAtOnce) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  wait_until_online(1);
  auto summary =
      submit_expecting<tend::Summary>(R"({"plugin": "noop", "target": {"roles": ["cache"]}})");
  EXPECT_EQ(summary.text(), "0/0: no online node matches target roles=cache");
  EXPECT_EQ(summary.expected(), 0u);
  EXPECT_EQ(agents[0]->tasks_taken(), 0);
}

TEST_F(CoordinatorTest, NodesListsHeartbeatingNodes) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("db-01", "db", FakeAgent::Behaviour::kSucceed);
  wait_until_online(2);
  auto list = nodes();
  ASSERT_EQ(list.nodes_size(), 2);
  EXPECT_EQ(list.nodes(0).last_heartbeat().host(), "db-01");
  EXPECT_EQ(list.nodes(0).last_heartbeat().role(), "db");
  EXPECT_EQ(list.nodes(1).last_heartbeat().host(), "web-01");
  EXPECT_TRUE(list.nodes(1).online());
  EXPECT_GT(list.nodes(1).first_seen().seconds(), 0);
}

TEST_F(CoordinatorTest, ATaskPublishedStraightToARoleIsFollowedUnderItsDerivedId) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("web-02", "web", FakeAgent::Behaviour::kSucceed);
  wait_until_online(2);
  Collector summaries(*client, subjects.summary_any());

  const std::string payload = R"({"plugin": "noop"})";
  ASSERT_TRUE(client->publish_raw(subjects.task_role("web"), payload));

  auto summary = summaries.next<tend::Summary>();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->task_id(), derived_task_id(subjects.task_role("web"), "", payload));
  EXPECT_EQ(summary->text(), "2/2 succeeded");
}

// [limits] max_in_flight: up to the bound tasks are taken; one more is
// refused with the bound named, and the coordinator's own tasks hear why
// they never ran.
TEST_F(CoordinatorTest, ASubmitPastTheInFlightBoundIsRefusedNamingIt) {
  config.limits.max_in_flight = 2;
  restart();
  agent("web-01", "web", FakeAgent::Behaviour::kAckOnly);
  wait_until_online(1);
  const std::string hanging =
      R"({"plugin": "noop", "target": {"all": true}, "timeout_s": 60, "wait": false})";
  EXPECT_FALSE(submit_expecting<tend::SubmitAccepted>(hanging).task_id().empty());
  EXPECT_FALSE(submit_expecting<tend::SubmitAccepted>(hanging).task_id().empty())
      << "the second of two is just within the bound";

  EXPECT_EQ(refusal(hanging),
            "coordinator busy: 2 tasks in flight; the limit is 2: try again once tasks finish");

  std::promise<tend::Summary> finished;
  tend::Task task;
  task.set_plugin("noop");
  task.mutable_target()->set_all(true);
  coordinator->submit_internal(task, TaskOrigin::kAlert,
                               [&](const tend::Summary& s) { finished.set_value(s); });
  auto future = finished.get_future();
  ASSERT_EQ(future.wait_for(kRequestTimeout), std::future_status::ready);
  tend::Summary summary = future.get();
  EXPECT_EQ(summary.text(), "not dispatched: coordinator busy: 2 tasks in flight; the limit is 2");
  EXPECT_FALSE(summary.complete());
  EXPECT_EQ(summary.missing_size(), 1);
  EXPECT_EQ(refusals("in_flight", 2), 2);
}

// [limits] max_queued_events: while the event loop is busy, messages wait up
// to the bound; one more is refused at once, naming it, and a requester
// hears so.
TEST_F(CoordinatorTest, AMessagePastTheEventQueueBoundIsRefusedNamingIt) {
  config.limits.queue.max_events = 100;
  restart();
  // Holds the event loop: the coordinator's own task for no node finishes at
  // once, and its `done` runs on the loop.
  std::promise<void> stalled;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // Whatever happens below, the loop is let go (or the test's stop would hang).
  std::unique_ptr<std::promise<void>, void (*)(std::promise<void>*)> let_go(
      &release, [](std::promise<void>* p) { p->set_value(); });
  tend::Task nothing;
  nothing.set_plugin("noop");
  nothing.mutable_target()->add_roles("nobody");
  coordinator->submit_internal(nothing, TaskOrigin::kAlert, [&](const tend::Summary&) {
    stalled.set_value();
    released.wait();
  });
  ASSERT_EQ(stalled.get_future().wait_for(kRequestTimeout), std::future_status::ready);

  const std::string submit =
      R"({"plugin": "noop", "target": {"roles": ["nobody"]}, "wait": false})";
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(client->publish_raw(subjects.submit(), submit));
  EXPECT_EQ(refusal(submit),
            "coordinator busy: 100 events queued; the limit is 100: try again in a moment");
  let_go.reset();
  EXPECT_EQ(refusals("event_queue", 1), 1);
  // Once the loop has worked through the queued submits there is room again:
  // one more is taken (it may be refused while the queue still drains).
  std::string reply;
  tend::SubmitAccepted accepted;
  testing::eventually(
      [&] {
        reply = this->submit(submit);
        return decode(reply, Encoding::kJson, accepted) && !accepted.task_id().empty();
      },
      kRequestTimeout, 20ms);
  EXPECT_FALSE(accepted.task_id().empty()) << "taken again once the loop has room: " << reply;
}

// [limits] max_nodes: heartbeats of new hosts past the bound are ignored, so
// forged host names cannot grow the registry; known hosts keep heartbeating.
TEST_F(CoordinatorTest, NewNodesPastTheRegistryBoundAreIgnored) {
  config.limits.max_nodes = 2;
  restart();
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("web-02", "web", FakeAgent::Behaviour::kSucceed);
  wait_until_online(2);
  agent("web-03", "web", FakeAgent::Behaviour::kSucceed);
  EXPECT_EQ(refusals("nodes", 1), 1);
  agents[0]->heartbeat();
  auto list = nodes();
  ASSERT_EQ(list.nodes_size(), 2);
  EXPECT_EQ(list.nodes(1).last_heartbeat().host(), "web-02");
}

TEST_F(CoordinatorTest, StoppingAnswersTasksInFlightWithWhatTheyHaveSoFar) {
  agent("web-01", "web", FakeAgent::Behaviour::kSucceed);
  agent("web-02", "web", FakeAgent::Behaviour::kAckOnly);
  wait_until_online(2);
  Collector progress(*client, subjects.progress_any());

  auto reply = std::async(std::launch::async, [&] {
    return submit(R"({"plugin": "noop", "target": {"roles": ["web"]}, "timeout_s": 60})");
  });
  // The result from web-01 is in once its tally is out.
  for (;;) {
    auto p = progress.next<tend::Progress>();
    ASSERT_TRUE(p) << "no tally came";
    if (p->kind() == tend::Progress::TALLY) break;
  }
  coordinator->stop();

  tend::Summary summary;
  ASSERT_TRUE(decode(reply.get(), Encoding::kJson, summary));
  EXPECT_FALSE(summary.complete());
  EXPECT_EQ(summary.text(),
            "1/2 succeeded; web-02 no result yet (acknowledged); coordinator shutting down");
  auto after = client->request_raw(subjects.submit(), "{}", 500ms);
  ASSERT_FALSE(after) << "a stopped coordinator takes no submits";
  EXPECT_NE(after.error().message.find("nobody is listening"), std::string::npos);
}

}  // namespace
}  // namespace tend
