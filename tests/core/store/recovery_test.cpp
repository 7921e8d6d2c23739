// What a coordinator picks up at start: its own unfinished tasks with their
// results and acknowledgements, a dead coordinator's, never a live one's,
// and the fleet as last seen.
#include "core/store/recovery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/store/store_writer.h"
#include "tests/core/store/store_test_database.h"

namespace tend::store {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

TaskRecord record(const std::string& id) {
  TaskRecord r;
  r.task.set_id(id);
  r.task.set_plugin("noop");
  r.task.set_timeout_s(30);
  r.origin = "submit";
  r.target = "roles=web-server";
  r.expected_hosts = {"web-01", "web-02"};
  r.dispatched_us = 1'795'000'000'000'000;
  r.deadline_us = 1'795'000'032'000'000;
  r.reply_to = "_INBOX.abc";
  return r;
}

class RecoveryTest : public StoreTest {
 protected:
  void write(const std::string& owner, const std::function<void(StoreWriter&)>& what) {
    StoreWriter w(StoreWriterOptions{db_->url(), owner}, nullptr);
    what(w);
    ASSERT_TRUE(w.flush(10s));
  }
};

TEST_F(RecoveryTest, PicksUpItsOwnUnfinishedTaskWithResultsAndAcks) {
  write("coordinator-a", [](StoreWriter& w) {
    w.task_dispatched(record("t-1"));
    w.task_acknowledged("t-1", "web-01");
    w.task_acknowledged("t-1", "web-02");
    tend::Result r;
    r.set_task_id("t-1");
    r.set_host("web-01");
    r.set_status(tend::SUCCEEDED);
    w.result_received(r);
    w.task_dispatched(record("t-done"));
    tend::Summary s;
    s.set_task_id("t-done");
    w.task_finished(s);
  });
  auto state = recover(*conn_, "coordinator-a", 60s);
  ASSERT_TRUE(state) << state.error().message;
  ASSERT_EQ(state->tasks.size(), 1u) << "finished tasks stay finished";
  const auto& t = state->tasks[0];
  EXPECT_EQ(t.record.task.id(), "t-1");
  EXPECT_THAT(t.record.expected_hosts, ElementsAre("web-01", "web-02"));
  EXPECT_EQ(t.record.dispatched_us, 1'795'000'000'000'000);
  EXPECT_EQ(t.record.deadline_us, 1'795'000'032'000'000);
  EXPECT_EQ(t.record.reply_to, "_INBOX.abc");
  ASSERT_EQ(t.results.size(), 1u);
  EXPECT_EQ(t.results[0].host(), "web-01");
  EXPECT_THAT(t.acknowledged, ::testing::UnorderedElementsAre("web-01", "web-02"));
}

TEST_F(RecoveryTest, LeavesALiveCoordinatorsTasksAndTakesADeadOnes) {
  write("coordinator-b", [](StoreWriter& w) { w.task_dispatched(record("t-b")); });
  auto state = recover(*conn_, "coordinator-a", 60s);
  ASSERT_TRUE(state);
  EXPECT_TRUE(state->tasks.empty()) << "coordinator-b marked itself alive just now";

  ASSERT_TRUE(
      conn_->exec("UPDATE coordinators SET last_seen = now() - interval '5 minutes' "
                  "WHERE name = 'coordinator-b'"));
  state = recover(*conn_, "coordinator-a", 60s);
  ASSERT_TRUE(state);
  ASSERT_EQ(state->tasks.size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE id = 't-b' AND owner = 'coordinator-a'"), 1)
      << "taken over, so coordinator-b does not finish it too when it comes back";
}

TEST_F(RecoveryTest, RestoresTheFleetAsLastSeen) {
  write("coordinator-a", [](StoreWriter& w) {
    tend::Heartbeat hb;
    hb.set_host("db-01");
    hb.set_role("database");
    hb.set_interval_s(10);
    w.node_heard(hb);
  });
  auto state = recover(*conn_, "coordinator-a", 60s);
  ASSERT_TRUE(state);
  ASSERT_EQ(state->nodes.size(), 1u);
  EXPECT_EQ(state->nodes[0].heartbeat.role(), "database");
  EXPECT_GT(state->nodes[0].last_seen_us, 0);
}

}  // namespace
}  // namespace tend::store
