// The approval desk against a real PostgreSQL: a fix waits for its time to
// live, is answered, expires or is cancelled, each kept in the approvals
// table with who answered, and counted in the metrics.
#include "core/coordinator/decisions/approval_desk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "tests/core/store/store_test_database.h"
#include "tests/support/metrics_text.h"

namespace tend::decisions {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::Optional;

tend::ApprovalAnswer answer_by(const std::string& by, const std::string& comment) {
  tend::ApprovalAnswer a;
  a.set_by(by);
  a.set_comment(comment);
  return a;
}

class ApprovalDeskTest : public store::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    restart();
  }

  // A new desk over the same database, as after a coordinator restart.
  void restart() {
    desk_.reset();
    database_ = std::make_unique<store::Database>(db_->url(), "approval desk test", stopping_);
    desk_ = std::make_unique<ApprovalDesk>(ApprovalSettings{1h}, *database_, &metrics_);
    auto loaded = desk_->load();
    ASSERT_TRUE(loaded) << loaded.error().message;
  }

  PendingFix request(const std::string& task_id, int64_t incident_id, WallTime at) {
    ApprovalRequest r;
    r.fix.task_id = task_id;
    r.fix.incident_id = incident_id;
    r.pattern = "disk-full";
    r.plugin = "noop";
    r.target = "hosts=web-01";
    r.confidence = 0.7;
    r.why = "confidence 70% needs approval";
    return desk_->request(std::move(r), at);
  }

  // The row of `task_id` in the approvals table: "state by comment".
  std::string kept(const std::string& task_id) {
    auto rows = conn_->query(
        "SELECT state || ' ' || answered_by || ' ' || comment FROM approvals WHERE task_id = $1",
        {task_id});
    EXPECT_TRUE(rows) << rows.error().message;
    return rows && !rows->empty() ? std::string(rows->get(0, 0)) : "(none)";
  }

  std::optional<double> waiting_metric() {
    return testing::metric_value(metrics_.render(), "tend_coordinator_pending_approvals");
  }

  std::atomic<bool> stopping_{false};
  std::unique_ptr<store::Database> database_;
  CoordinatorMetrics metrics_{"test", 0};
  std::unique_ptr<ApprovalDesk> desk_;
  // Whole microseconds: what the store and the messages keep of a time.
  WallTime t0_ = from_micros(micros(std::chrono::system_clock::now()));
};

TEST_F(ApprovalDeskTest, AFixWaitsForItsTimeToLiveAndIsKeptAsPending) {
  const PendingFix fix = request("t-1", 7, t0_);
  EXPECT_EQ(fix.requested_at, t0_);
  EXPECT_EQ(fix.expires_at, t0_ + 1h);
  ASSERT_NE(desk_->find("t-1"), nullptr);
  EXPECT_EQ(desk_->find("t-1")->incident_id, 7);
  EXPECT_EQ(desk_->next_expiry(), t0_ + 1h);
  EXPECT_EQ(kept("t-1"), "pending  ");
  EXPECT_THAT(waiting_metric(), Optional(1.0));
}

TEST_F(ApprovalDeskTest, AnApprovalOrADenialIsKeptWithWhoAnsweredAndWhy) {
  request("t-1", 1, t0_);
  request("t-2", 2, t0_);
  desk_->answer("t-1", true, answer_by("alice", "go ahead"), t0_ + 1min);
  desk_->answer("t-2", false, answer_by("bob", "not during the sale"), t0_ + 1min);
  EXPECT_EQ(desk_->find("t-1"), nullptr) << "answered: it waits no longer";
  EXPECT_EQ(desk_->find("t-2"), nullptr);
  EXPECT_EQ(kept("t-1"), "approved alice go ahead");
  EXPECT_EQ(kept("t-2"), "denied bob not during the sale");
  EXPECT_FALSE(desk_->next_expiry());
  EXPECT_THAT(waiting_metric(), Optional(0.0));
}

TEST_F(ApprovalDeskTest, AFixNobodyAnswersInTimeExpires) {
  request("t-1", 1, t0_);
  request("t-2", 2, t0_ + 10min);
  EXPECT_TRUE(desk_->expire(t0_ + 59min).empty());
  auto expired = desk_->expire(t0_ + 1h);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].task_id, "t-1");
  EXPECT_EQ(expired[0].expires_at - expired[0].requested_at, 1h);
  EXPECT_EQ(kept("t-1"), "expired  ");
  EXPECT_EQ(kept("t-2"), "pending  ");
  EXPECT_EQ(desk_->next_expiry(), t0_ + 70min);
  EXPECT_THAT(waiting_metric(), Optional(1.0));
}

TEST_F(ApprovalDeskTest, AFixIsCancelledWhenItsAlertResolvesFirst) {
  request("t-1", 1, t0_);
  desk_->cancel("t-1", "the alert resolved", t0_ + 5min);
  EXPECT_EQ(desk_->find("t-1"), nullptr);
  EXPECT_EQ(kept("t-1"), "cancelled  the alert resolved");
  desk_->answer("t-1", true, answer_by("alice", "late"), t0_ + 6min);
  EXPECT_EQ(kept("t-1"), "cancelled  the alert resolved") << "answered once only";
}

TEST_F(ApprovalDeskTest, WaitingFixesOutliveARestart) {
  request("t-1", 1, t0_);
  request("t-2", 2, t0_);
  desk_->answer("t-2", true, answer_by("alice", ""), t0_);
  metrics_.pending_approvals(0);
  restart();
  ASSERT_NE(desk_->find("t-1"), nullptr);
  EXPECT_EQ(desk_->find("t-1")->expires_at, t0_ + 1h);
  EXPECT_EQ(desk_->find("t-2"), nullptr) << "answered before the restart";
  EXPECT_THAT(waiting_metric(), Optional(1.0)) << "counted again once loaded";
}

TEST_F(ApprovalDeskTest, TendctlPendingListsWhatEachIncidentSaysOldestFirst) {
  request("t-new", 2, t0_ + 1min);
  request("t-old", 1, t0_);
  request("t-gone", 3, t0_ + 2min);
  auto list = desk_->pending([](const PendingFix& fix, tend::PendingApproval& p) {
    if (fix.incident_id == 3) return false;  // its incident is over
    p.set_incident_id(fix.incident_id);
    p.set_alertname("DiskFull");
    return true;
  });
  std::vector<std::string> ids;
  for (const auto& p : list.approvals()) ids.push_back(p.task_id());
  EXPECT_THAT(ids, ElementsAre("t-old", "t-new"));
  EXPECT_EQ(list.approvals(0).incident_id(), 1);
  EXPECT_EQ(list.approvals(0).alertname(), "DiskFull");
  EXPECT_EQ(from_timestamp(list.approvals(0).requested_at()), t0_);
  EXPECT_EQ(from_timestamp(list.approvals(0).expires_at()), t0_ + 1h);
}

}  // namespace
}  // namespace tend::decisions
