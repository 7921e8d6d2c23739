// ScheduleStore against a real PostgreSQL (a fresh database per test).
#include "core/coordinator/schedules/schedule_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/core/store/store_test_database.h"
#include "tests/support/utc_time.h"

namespace tend {
namespace {

using testing::utc;

class ScheduleStoreTest : public store::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    store_ = open();
  }

  std::unique_ptr<ScheduleStore> open() {
    auto store = ScheduleStore::connect(db_->url());
    EXPECT_TRUE(store) << store.error().message;
    return store ? std::move(*store) : nullptr;
  }

  static tend::Schedule schedule(const std::string& name, const std::string& cron = "0 2 * * sun") {
    tend::Schedule s;
    s.set_name(name);
    s.set_cron(cron);
    s.set_timezone("Europe/Berlin");
    s.set_window_s(4 * 3600);
    s.set_plugin("package-update");
    s.mutable_target()->set_all(true);
    return s;
  }

  std::unique_ptr<ScheduleStore> store_;
};

TEST_F(ScheduleStoreTest, OfManyCoordinatorsClaimingOneWindowExactlyOneWins) {
  ASSERT_TRUE(store_->put(schedule("security-updates"), utc("2026-11-20 00:00")));
  const RunClaim claim{run_id_for("security-updates", utc("2026-11-22 01:00")),
                       "security-updates",
                       utc("2026-11-22 01:00"),
                       utc("2026-11-22 05:00"),
                       "window",
                       "running",
                       "",
                       std::nullopt};
  std::atomic<int> winners{0};
  std::vector<std::thread> coordinators;
  for (int i = 0; i < 8; ++i) {
    coordinators.emplace_back([&, i] {
      auto mine = open();
      RunClaim c = claim;
      c.owner = "coordinator-" + std::to_string(i);
      auto won = mine->claim(c);
      EXPECT_TRUE(won) << won.error().message;
      if (won && *won) ++winners;
    });
  }
  for (auto& t : coordinators) t.join();
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(claim.run_id, "security-updates-20261122T010000Z");
  auto last = store_->last_window("security-updates");
  ASSERT_TRUE(last && *last);
  EXPECT_EQ(**last, utc("2026-11-22 01:00"));
}

TEST_F(ScheduleStoreTest, TheFileDoesNotUndoAPauseAndAResumeStartsAFreshCount) {
  ASSERT_TRUE(store_->sync_from_file(schedule("nightly"), utc("2026-11-20 00:00")));
  ASSERT_TRUE(*store_->set_paused("nightly", true, "alice", utc("2026-11-21 00:00")));
  auto unchanged = store_->sync_from_file(schedule("nightly"), utc("2026-11-21 01:00"));
  ASSERT_TRUE(unchanged);
  EXPECT_FALSE(*unchanged) << "the same definition: nothing to write";
  auto changed =
      store_->sync_from_file(schedule("nightly", "0 3 * * sun"), utc("2026-11-21 02:00"));
  ASSERT_TRUE(changed && *changed);
  auto stored = *store_->get("nightly");
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->schedule.paused()) << "operators' pause outlives a changed file";
  EXPECT_EQ(stored->fires_after, utc("2026-11-21 02:00")) << "a new cron counts afresh";
  ASSERT_TRUE(*store_->set_paused("nightly", false, "alice", utc("2026-11-25 00:00")));
  EXPECT_EQ((*store_->get("nightly"))->fires_after, utc("2026-11-25 00:00"))
      << "windows that passed while paused are neither run nor missed";
  EXPECT_FALSE(*store_->set_paused("nope", true, "alice", utc("2026-11-25 00:00")));
  EXPECT_TRUE(*store_->remove("nightly"));
  EXPECT_FALSE(*store_->get("nightly"));
}

TEST_F(ScheduleStoreTest, RunsAndReportsAreKept) {
  RunClaim c{"n-1", "n", utc("2026-11-22 01:00"), utc("2026-11-22 05:00"), "window", "running",
             "me",  42};
  ASSERT_TRUE(*store_->claim(c));
  tend::MaintenanceReport report;
  report.set_run_id("n-1");
  report.set_schedule("n");
  report.set_state("succeeded");
  report.set_text("2/2 succeeded");
  ASSERT_TRUE(store_->save_report(report));
  ASSERT_TRUE(store_->finish_run("n-1", "succeeded", "2/2 succeeded"));
  EXPECT_EQ((*store_->report(""))->text(), "2/2 succeeded");
  EXPECT_EQ((*store_->run("n-1"))->state(), "succeeded");
  EXPECT_EQ((*store_->recent_runs("n", 5)).size(), 1u);
  RunClaim running = c;
  running.run_id = "n-2";
  running.window_start = utc("2026-11-29 01:00");
  ASSERT_TRUE(*store_->claim(running));
  auto interrupted = store_->interrupt_runs_of("me");
  ASSERT_TRUE(interrupted);
  EXPECT_EQ(*interrupted, std::vector<std::string>{"n-2"});
}

}  // namespace
}  // namespace tend
