// The store writer: what the coordinator hands it lands in PostgreSQL in
// batches, a result that comes twice is stored once, each stored result is
// audited, and nothing queued is lost while PostgreSQL is away.
#include "core/store/store_writer.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <mutex>

#include "core/store/audit_chain.h"
#include "tests/core/store/store_test_database.h"

namespace tend::store {
namespace {

using namespace std::chrono_literals;

tend::Task task(const std::string& id) {
  tend::Task t;
  t.set_id(id);
  t.set_plugin("noop");
  t.set_timeout_s(30);
  t.set_reason("disk full");
  t.set_requested_by("alice");
  (*t.mutable_params()->mutable_fields())["sleep_ms"].set_number_value(200);
  t.mutable_target()->add_roles("web-server");
  return t;
}

TaskRecord record(const std::string& id, std::vector<std::string> hosts) {
  return TaskRecord{task(id),
                    "submit",
                    "roles=web-server",
                    std::move(hosts),
                    1'795'000'000'000'000,
                    1'795'000'032'000'000,
                    "_INBOX.x",
                    true};
}

tend::Result result(const std::string& task_id, const std::string& host,
                    tend::Status status = tend::SUCCEEDED) {
  tend::Result r;
  r.set_task_id(task_id);
  r.set_host(host);
  r.set_plugin("noop");
  r.set_status(status);
  r.set_summary("noop slept 200 ms");
  (*r.mutable_outputs())["usage_before"] = "93%";
  (*r.mutable_outputs())["usage_after"] = "71%";
  (*r.mutable_outputs())["stdout"] = std::string("binary\0 junk", 12);
  (*r.mutable_figures())["bytes_reclaimed"] = 1024;
  r.set_duration_ms(200);
  *r.mutable_finished_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
  return r;
}

class StoreWriterTest : public StoreTest {
 protected:
  std::unique_ptr<StoreWriter> writer(std::string url = {}) {
    return std::make_unique<StoreWriter>(
        StoreWriterOptions{url.empty() ? db_->url() : url, "coordinator-a"},
        [this](std::vector<tend::Result> results) {
          std::lock_guard lock(mu_);
          for (auto& r : results) stored_.push_back(std::move(r));
        });
  }
  size_t stored_count() {
    std::lock_guard lock(mu_);
    return stored_.size();
  }

  std::mutex mu_;
  std::vector<tend::Result> stored_;
};

TEST_F(StoreWriterTest, StoresATaskItsAcksResultsAndSummary) {
  auto w = writer();
  w->task_dispatched(record("t-1", {"web-01", "web-02"}));
  w->task_acknowledged("t-1", "web-01");
  w->result_received(result("t-1", "web-01"));
  tend::Summary summary;
  summary.set_task_id("t-1");
  summary.set_expected(2);
  summary.set_succeeded(1);
  summary.set_text("1/2 succeeded; web-02 unreachable");
  w->task_finished(summary);
  ASSERT_TRUE(w->flush(10s));

  EXPECT_EQ(count("SELECT count(*) FROM tasks WHERE id = 't-1' AND plugin = 'noop' AND "
                  "origin = 'submit' AND requested_by = 'alice' AND reason = 'disk full' AND "
                  "expected_hosts = '{web-01,web-02}' AND owner = 'coordinator-a' AND "
                  "params->>'sleep_ms' = '200' AND finished_at IS NOT NULL AND "
                  "text = '1/2 succeeded; web-02 unreachable'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM task_acks WHERE task_id = 't-1' AND host = 'web-01'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM results WHERE task_id = 't-1' AND host = 'web-01' AND "
                  "status = 'SUCCEEDED' AND figures->>'bytes_reclaimed' = '1024' AND "
                  "outputs->>'usage_after' = '71%'"),
            1);
  EXPECT_EQ(w->results_stored(), 1u);
}

TEST_F(StoreWriterTest, AResultThatComesTwiceIsStoredAndAuditedOnce) {
  auto w = writer();
  w->result_received(result("t-2", "web-01"));
  w->result_received(result("t-2", "web-01"));  // the same batch
  ASSERT_TRUE(w->flush(10s));
  w->result_received(result("t-2", "web-01"));  // a later redelivery
  ASSERT_TRUE(w->flush(10s));
  EXPECT_EQ(count("SELECT count(*) FROM results WHERE task_id = 't-2'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'result' AND task_id = 't-2'"), 1);
  EXPECT_EQ(stored_count(), 1u) << "only the first is reported as newly stored";
}

TEST_F(StoreWriterTest, EachStoredResultIsAuditedWithWhatChanged) {
  auto w = writer();
  w->audit(AuditEntry{0, "alice", "submit", "t-3", "roles=web-server", "disk full", "{}"});
  w->result_received(result("t-3", "web-01", tend::FAILED));
  ASSERT_TRUE(w->flush(10s));
  auto rows = conn_->query(
      "SELECT actor, action, detail::jsonb->>'status', detail::jsonb->'change'->>'usage_before' "
      "FROM audit_log ORDER BY id");
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2);
  EXPECT_EQ(rows->get(0, 1), "submit");
  EXPECT_EQ(rows->get(1, 0), "web-01");
  EXPECT_EQ(rows->get(1, 1), "result");
  EXPECT_EQ(rows->get(1, 2), "FAILED");
  EXPECT_EQ(rows->get(1, 3), "93%");
  auto verified = verify_audit_log(*conn_);
  ASSERT_TRUE(verified);
  EXPECT_FALSE(verified->first_bad_id) << verified->problem;
}

TEST_F(StoreWriterTest, KeepsTheLatestHeartbeatOfEachNode) {
  auto w = writer();
  tend::Heartbeat hb;
  hb.set_host("web-01");
  hb.set_role("web-server");
  hb.add_tags("production");
  hb.add_plugins()->set_name("noop");
  w->node_heard(hb);
  hb.set_role("database");
  w->node_heard(hb);
  ASSERT_TRUE(w->flush(10s));
  EXPECT_EQ(count("SELECT count(*) FROM nodes WHERE host = 'web-01' AND role = 'database' AND "
                  "tags = '{production}' AND plugins->0->>'name' = 'noop'"),
            1);
}

TEST_F(StoreWriterTest, KeepsAHealthSampleAtMostOnceAMinutePerNode) {
  auto w = writer();
  tend::Heartbeat hb;
  hb.set_host("web-01");
  hb.set_role("web-server");
  auto* mount = hb.mutable_health()->add_mounts();
  mount->set_mount("/var");
  mount->set_used_percent(93);
  hb.mutable_health()->set_disk_used_percent_max(93);
  hb.mutable_health()->set_mem_used_percent(71);
  hb.mutable_health()->add_failed_units("nginx.service");
  w->node_heard(hb);
  ASSERT_TRUE(w->flush(10s));
  w->node_heard(hb);  // ten seconds later, in real life
  ASSERT_TRUE(w->flush(10s));
  EXPECT_EQ(count("SELECT count(*) FROM node_health WHERE host = 'web-01' AND "
                  "disk_used_percent_max = 93 AND mem_used_percent = 71 AND failed_units = 1 AND "
                  "mounts->0->>'mount' = '/var'"),
            1);
}

TEST_F(StoreWriterTest, WaitsForPostgresAndLosesNothing) {
  // A database that is not there yet: the writer keeps what it is given.
  const std::string url = db_->url();
  const std::string missing_url = url.substr(0, url.rfind('/')) + "/tend_not_yet";
  auto root = connect(db_->superuser_url());
  (void)root->exec("DROP DATABASE IF EXISTS tend_not_yet WITH (FORCE)");
  auto w = writer(missing_url);
  for (int i = 0; i < 100; ++i) w->result_received(result("t-4", "web-" + std::to_string(i)));
  EXPECT_FALSE(w->flush(500ms));
  EXPECT_FALSE(w->connected());
  EXPECT_EQ(w->backlog(), 100u);
  EXPECT_GE(w->lag(), 400ms);

  ASSERT_TRUE(root->exec("CREATE DATABASE tend_not_yet OWNER tend"));
  auto fresh = connect(missing_url);
  ASSERT_TRUE(migrate(*fresh));
  ASSERT_TRUE(w->flush(20s));
  EXPECT_TRUE(w->connected());
  EXPECT_EQ(w->backlog(), 0u);
  auto rows = fresh->query("SELECT count(*) FROM results WHERE task_id = 't-4'");
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->get_int(0, 0), 100);
  w.reset();
  fresh.reset();
  (void)root->exec("DROP DATABASE IF EXISTS tend_not_yet WITH (FORCE)");
}

}  // namespace
}  // namespace tend::store
