// The morning digest against a real PostgreSQL and nats-server: it counts
// what the store says happened in the last 24 hours, goes out once per day
// however many coordinators try, on tend.report.daily and into a file.
#include "core/coordinator/reports/daily_digest.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "bus/message.h"
#include "core/store/migrations.h"
#include "tests/core/store/store_test_database.h"
#include "tests/support/message_inbox.h"
#include "tests/support/nats_server.h"
#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class DailyDigestTest : public store::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ConnectionOptions options;
    options.servers = {testing::NatsServer::shared().url()};
    auto nats = Connection::connect(options);
    ASSERT_TRUE(nats) << nats.error().message;
    nats_ = std::move(*nats);
    subjects_ = Subjects(fmt::format("d{:x}", std::random_device{}()));
  }

  void exec(const std::string& sql) {
    auto ok = conn_->exec_script(sql);
    ASSERT_TRUE(ok) << ok.error().message;
  }

  std::unique_ptr<DailyDigestService> service(const std::string& owner) {
    ReportsConfig config;
    config.timezone = "UTC";
    config.daily_dir = dir_.path().string();
    return std::make_unique<DailyDigestService>(
        DailyDigestOptions{db_->url(), owner, subjects_, config}, *nats_, audit_, clock_);
  }

  std::unique_ptr<Connection> nats_;
  Subjects subjects_;
  store::NoTaskStore audit_;
  ManualWallClock clock_;
  testing::TempDir dir_{"tend-digest"};
};

TEST_F(DailyDigestTest, CountsTheLastDayFromTheStoreAndGoesOutOnceOnNatsAndAsAFile) {
  // A day's worth, and one thing from the day before that must not count.
  exec(R"(
    INSERT INTO tasks (id, plugin, origin, target, expected_hosts, dispatched_at, deadline, owner,
                       task, complete, failed, succeeded, timeout_s)
    VALUES ('a1', 'disk-cleanup', 'alert', 'hosts=web-01', '{web-01}', now() - interval '2 hours',
            now(), 'c', '\x', true, 0, 1, 60),
           ('a2', 'service-restart', 'alert', 'hosts=web-02', '{web-02}', now() - interval '1 hour',
            now(), 'c', '\x', true, 1, 0, 60),
           ('old', 'noop', 'alert', 'all', '{}', now() - interval '30 hours', now(), 'c', '\x',
            true, 0, 1, 60),
           ('m1', 'package-update', 'schedule', 'all', '{db-01,db-02}', now() - interval '5 hours',
            now(), 'c', '\x', true, 0, 2, 60);
    INSERT INTO results (task_id, host, plugin, status, summary, error, verified, dry_run,
                         duration_ms, finished_at, result)
    VALUES ('a2', 'web-02', 'service-restart', 'FAILED', '', 'still down', false, false, 1,
            now() - interval '1 hour', '\x'),
           ('m1', 'db-01', 'package-update', 'SUCCEEDED', '', '', true, false, 1,
            now() - interval '5 hours', '\x'),
           ('m1', 'db-02', 'package-update', 'SUCCEEDED', '', '', true, false, 1,
            now() - interval '5 hours', '\x');
    INSERT INTO approvals (task_id, incident_id, pattern, plugin, target, why, requested_at,
                           expires_at, state)
    VALUES ('p1', 1, 'ServiceDown', 'service-restart', 'hosts=web-03', 'confidence 0.6', now(),
            now() + interval '1 hour', 'pending');
    INSERT INTO audit_log (id, at, actor, action, prev_hash, hash)
    VALUES (1, now() - interval '3 hours', 'c', 'escalate', '\x00', '\x00');
    INSERT INTO schedule_runs (id, schedule, window_start, window_end, trigger, state, owner)
    VALUES ('r1', 'security', now() - interval '6 hours', now() - interval '2 hours', 'window',
            'succeeded', 'c');
    INSERT INTO incidents (fingerprint, alertname, started_at, pattern, plugin, outcome, summary,
                           received_at)
    VALUES ('f1', 'ServiceDown', now(), 'ServiceDown', 'service-restart', 'failed',
            'nginx still inactive after 3 attempts', now() - interval '1 hour');
  )");
  testing::MessageInbox published;
  auto sub = nats_->subscribe(subjects_.report("daily"), published.handler());
  ASSERT_TRUE(sub && nats_->flush(2s));

  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto sent = service("coordinator-a")->send("2026-11-23", now);
  ASSERT_TRUE(sent) << sent.error().message;
  ASSERT_TRUE(*sent);
  const tend::DailyDigest& d = **sent;
  EXPECT_EQ(d.automatic_fixes(), 2u) << "the one from 30 hours ago is yesterday's";
  EXPECT_EQ(d.automatic_fixes_succeeded(), 1u);
  EXPECT_EQ(d.automatic_fixes_failed(), 1u);
  EXPECT_EQ(d.approvals_waiting(), 1u);
  EXPECT_EQ(d.escalations(), 1u);
  EXPECT_EQ(d.windows_run(), 1u);
  EXPECT_EQ(d.windows_clean(), 1u);
  EXPECT_EQ(d.hosts_maintained(), 2u);
  EXPECT_EQ(d.tasks(), 3u);
  EXPECT_EQ(d.results_failed(), 1u);
  ASSERT_EQ(d.top_failing_size(), 1);
  EXPECT_EQ(d.top_failing(0).last_error(), "nginx still inactive after 3 attempts");
  EXPECT_DOUBLE_EQ(d.engineer_minutes_saved(), 1 * 20 + 2 * 3);

  auto msg = published.next(5s);
  ASSERT_TRUE(msg) << "nothing on tend.report.daily";
  auto on_wire = testing::decode_as<tend::DailyDigest>(*msg);
  ASSERT_TRUE(on_wire) << on_wire.error().message;
  EXPECT_EQ(on_wire->markdown(), d.markdown());
  EXPECT_EQ(testing::read_file(dir_.path() / "tend-daily-2026-11-23.md"), d.markdown());

  // A second coordinator, the same morning: the day is taken.
  auto again = service("coordinator-b")->send("2026-11-23", now);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
  auto kept = conn_->query("SELECT owner, markdown FROM daily_digests WHERE day = '2026-11-23'");
  ASSERT_TRUE(kept && kept->size() == 1);
  EXPECT_EQ(kept->get(0, 0), "coordinator-a");
  EXPECT_THAT(std::string(kept->get(0, 1)), HasSubstr("1 alert fixed on their own"));
}

TEST_F(DailyDigestTest, TheServiceSendsWhenTheClockReachesTheDigestTime) {
  testing::MessageInbox published;
  auto sub = nats_->subscribe(subjects_.report("daily"), published.handler());
  ASSERT_TRUE(sub && nats_->flush(2s));
  // 08:00 UTC is today's digest time; the clock reads 08:00:30.
  auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  clock_.set(today + 8h + 30s);
  auto digest = service("coordinator-a");
  digest->start();
  auto msg = published.next(10s);
  ASSERT_TRUE(msg) << "no digest";
  auto d = testing::decode_as<tend::DailyDigest>(*msg);
  ASSERT_TRUE(d);
  EXPECT_THAT(d->markdown(), HasSubstr("No alert needed a fix."));
  digest->stop();
}

}  // namespace
}  // namespace tend
