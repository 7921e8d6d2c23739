// Nothing is lost: a result an agent published is stored even when the
// coordinator was killed or PostgreSQL was down at that moment, and a task
// whose coordinator died is finished by the coordinator that comes back.
// Real programs, a real nats-server with JetStream, a real PostgreSQL.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bus/jetstream.h"
#include "core/coordinator/result_ingest.h"
#include "core/store/pg_connection.h"
#include "schemas/progress.pb.h"
#include "schemas/summary.pb.h"
#include "tests/integration/programs.h"
#include "tests/integration/store_count.h"
#include "tests/support/eventually.h"
#include "tests/support/message_inbox.h"
#include "tests/support/private_postgres.h"
#include "tests/support/tend_stack.h"
#include "tests/support/test_database.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;

std::vector<AgentSpec> fleet(const std::string& role, int count) {
  std::vector<AgentSpec> specs;
  for (int i = 1; i <= count; ++i) specs.push_back({fmt::format("{}-{:02}", role, i), role, {}});
  return specs;
}

std::string submit_without_waiting(TendStack& stack, const std::string& json) {
  auto reply = stack.submit_json(json, 15s);
  EXPECT_TRUE(reply) << reply.error().message;
  if (!reply) return "";
  auto accepted = reply->accepted();
  EXPECT_TRUE(accepted) << reply->raw();
  return accepted ? accepted->task_id() : "";
}

TEST(Durability, AKilledCoordinatorFinishesItsTwentyNodeTaskWhenItComesBack) {
  auto db = TestDatabase::create();
  if (!db) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run through scripts/test";
  ASSERT_TRUE(*db) << db->error().message;
  const std::string url = (*db)->url();
  CoordinatorSettings settings;
  settings.database_url = url;
  TendStack stack(built_programs(), fleet("fleet", 20), settings);
  auto started = stack.start(60s);
  ASSERT_TRUE(started) << started.error().message;

  MessageInbox summaries;
  auto sub = stack.client().subscribe("tend.summary.*", summaries.handler());
  ASSERT_TRUE(sub && stack.client().flush(2s));
  const std::string id = submit_without_waiting(
      stack, R"({"target": {"roles": ["fleet"]}, "plugin": "noop", "params": {"sleep_ms": 3000},
                 "timeout_s": 60, "wait": false})");
  ASSERT_FALSE(id.empty());
  // Every node has the task, and the store knows it and who acknowledged it.
  ASSERT_EQ(
      wait_for_count(url, fmt::format("SELECT count(*) FROM task_acks WHERE task_id = '{}'", id),
                     20, 20s),
      20)
      << stack.logs();

  stack.coordinator().kill9();
  // The nodes finish while no coordinator listens: their results wait in the stream.
  std::this_thread::sleep_for(4s);
  ASSERT_EQ(store_count(url, fmt::format("SELECT count(*) FROM results WHERE task_id = '{}'", id)),
            0);
  ASSERT_TRUE(stack.start_coordinator());

  std::optional<tend::Summary> summary;
  while (!summary) {
    auto msg = summaries.next(30s);
    ASSERT_TRUE(msg) << "no summary after the restart\n" << stack.logs();
    auto decoded = decode_as<tend::Summary>(*msg);
    ASSERT_TRUE(decoded) << decoded.error().message;
    if (decoded->task_id() == id) summary = *decoded;
  }
  EXPECT_EQ(summary->text(), "20/20 succeeded");
  EXPECT_TRUE(summary->complete());
  EXPECT_EQ(summary->results_size(), 20);
  EXPECT_EQ(store_count(url, fmt::format("SELECT count(*) FROM results WHERE task_id = '{}'", id)),
            20);
  EXPECT_EQ(
      wait_for_count(url,
                     fmt::format("SELECT count(*) FROM tasks WHERE id = '{}' AND complete AND "
                                 "succeeded = 20 AND finished_at IS NOT NULL",
                                 id),
                     1, 10s),
      1);
}

TEST(Durability, ResultsPublishedWhilePostgresIsDownAreStoredOnceItIsBack) {
  PrivatePostgres postgres;
  auto up = postgres.start();
  ASSERT_TRUE(up) << up.error().message;
  CoordinatorSettings settings;
  settings.database_url = postgres.url();
  TendStack stack(built_programs(), fleet("web", 5), settings);
  auto started = stack.start(30s);
  ASSERT_TRUE(started) << started.error().message;

  ASSERT_TRUE(postgres.stop());
  // Thirty seconds of tasks with PostgreSQL gone: the fleet keeps working and
  // every task still gets its summary.
  std::vector<std::string> ids;
  auto outage_ends = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < outage_ends) {
    auto reply = stack.submit_json(R"({"target": {"roles": ["web"]}, "plugin": "noop"})", 15s);
    ASSERT_TRUE(reply) << reply.error().message;
    auto summary = reply->summary();
    ASSERT_TRUE(summary) << reply->raw();
    EXPECT_EQ(summary->text(), "5/5 succeeded");
    ids.push_back(summary->task_id());
    std::this_thread::sleep_for(250ms);
  }
  ASSERT_GE(ids.size(), 20u);
  ASSERT_TRUE(postgres.start());

  const auto want = static_cast<int64_t>(ids.size() * 5);
  EXPECT_EQ(wait_for_count(postgres.url(), "SELECT count(*) FROM results", want, 60s), want)
      << stack.logs();
  EXPECT_EQ(store_count(postgres.url(), "SELECT count(*) FROM tasks"),
            static_cast<int64_t>(ids.size()));
  EXPECT_EQ(store_count(postgres.url(), "SELECT count(*) FROM audit_log WHERE action = 'result'"),
            want)
      << "each result audited once";
}

TEST(Durability, ACoordinatorStartedWhileNatsIsDownStillReadsResultsFromTheStream) {
  auto db = TestDatabase::create();
  if (!db) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run through scripts/test";
  ASSERT_TRUE(*db) << db->error().message;
  const std::string url = (*db)->url();
  CoordinatorSettings settings;
  settings.database_url = url;
  TendStack stack(built_programs(), fleet("web", 1), settings);
  auto started = stack.start(30s);
  ASSERT_TRUE(started) << started.error().message;

  // As when a machine boots and the coordinator starts before nats-server.
  stack.coordinator().terminate();
  stack.nats().stop();
  ASSERT_TRUE(stack.start_coordinator());
  std::this_thread::sleep_for(8s);  // longer than any one request to JetStream waits
  ASSERT_TRUE(stack.nats().start());
  ASSERT_TRUE(stack.wait_online({"web-01"}, 30s)) << stack.logs();

  auto reply = stack.submit_json(R"({"target": {"all": true}, "plugin": "noop"})", 30s);
  ASSERT_TRUE(reply && reply->summary()) << stack.logs();
  EXPECT_EQ(wait_for_count(url, "SELECT count(*) FROM results", 1, 10s), 1);
  // Stored through the stream: the store's consumer has nothing left to take.
  auto js = JetStream::open(stack.client());
  ASSERT_TRUE(js) << js.error().message;
  auto backlog = read_until(
      [&] {
        return (*js)->consumer_backlog(stack.subjects().results_stream(), ResultIngest::kConsumer);
      },
      [](const Expected<uint64_t>& left) { return !left || *left == 0; }, 10s, 100ms);
  ASSERT_TRUE(backlog) << backlog.error().message;
  EXPECT_EQ(*backlog, 0u) << "the result waits in the stream: nothing reads it\n" << stack.logs();
}

TEST(Durability, ResultsAreStoredAcrossANatsServerRestart) {
  auto db = TestDatabase::create();
  if (!db) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run through scripts/test";
  ASSERT_TRUE(*db) << db->error().message;
  const std::string url = (*db)->url();
  CoordinatorSettings settings;
  settings.database_url = url;
  TendStack stack(built_programs(), fleet("web", 3), settings);
  auto started = stack.start(30s);
  ASSERT_TRUE(started) << started.error().message;

  auto before = stack.submit_json(R"({"target": {"all": true}, "plugin": "noop"})", 15s);
  ASSERT_TRUE(before && before->summary());
  stack.nats().stop();
  ASSERT_TRUE(stack.nats().start());
  ASSERT_TRUE(stack.wait_online({"web-01", "web-02", "web-03"}, 20s));
  // Heard again from everyone, so every agent is back on the server.
  MessageInbox heartbeats;
  auto sub = stack.client().subscribe("tend.heartbeat.*", heartbeats.handler());
  std::set<std::string> heard;
  while (heard.size() < 3) {
    auto msg = heartbeats.next(10s);
    ASSERT_TRUE(msg) << stack.logs();
    heard.insert(std::string(Subjects::last_token(msg->subject())));
  }
  auto after = stack.submit_json(R"({"target": {"all": true}, "plugin": "noop"})", 15s);
  ASSERT_TRUE(after) << after.error().message;
  auto summary = after->summary();
  ASSERT_TRUE(summary) << after->raw();
  EXPECT_EQ(summary->text(), "3/3 succeeded");
  EXPECT_EQ(wait_for_count(url, "SELECT count(*) FROM results", 6, 30s), 6) << stack.logs();
}

}  // namespace
}  // namespace tend::testing
