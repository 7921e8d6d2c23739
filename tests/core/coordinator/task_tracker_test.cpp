// When a task is over, and what its summary says.
#include "core/coordinator/task_tracker.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using namespace std::chrono_literals;
using Clock = TaskTracker::Clock;
using Hosts = std::vector<std::string>;

const Clock::time_point t0 = Clock::time_point(1000h);
constexpr auto kAck = 3000ms;
constexpr auto kRunLimit = 12s;  // timeout 10 s + grace 2 s

TaskTracker tracker(Hosts expected) {
  tend::Task task;
  task.set_id("t-1");
  task.set_plugin("disk-cleanup");
  task.set_dry_run(true);
  return TaskTracker(task, std::move(expected), {t0, kAck, kRunLimit}, "target roles=web");
}

tend::Result result(const std::string& host, tend::Status status = tend::SUCCEEDED,
                    const std::string& error = "") {
  tend::Result r;
  r.set_task_id("t-1");
  r.set_host(host);
  r.set_status(status);
  r.set_error(error);
  return r;
}

TEST(TaskTracker, FinishesWhenEveryExpectedHostAnswered) {
  auto t = tracker({"web-01", "web-02"});
  t.acknowledged("web-01");
  t.acknowledged("web-02");
  t.record(result("web-02"));
  EXPECT_FALSE(t.finished(t0 + 10ms));
  t.record(result("web-01"));
  EXPECT_TRUE(t.finished(t0 + 10ms));

  auto s = t.summary(t0 + 250ms, TaskEnding::kFinished);
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.expected(), 2u);
  EXPECT_EQ(s.responded(), 2u);
  EXPECT_EQ(s.succeeded(), 2u);
  EXPECT_EQ(s.text(), "2/2 succeeded");
  EXPECT_EQ(s.duration_ms(), 250u);
  EXPECT_TRUE(s.dry_run());
  EXPECT_EQ(s.plugin(), "disk-cleanup");
  ASSERT_EQ(s.results_size(), 2);
  EXPECT_EQ(s.results(0).host(), "web-01");  // sorted by host
}

TEST(TaskTracker, AHostThatNeverAcknowledgesIsUnreachableAfterTheAckDeadline) {
  auto t = tracker({"web-01", "web-02"});
  t.acknowledged("web-01");
  t.record(result("web-01"));
  EXPECT_FALSE(t.finished(t0 + kAck - 1ms));
  EXPECT_EQ(t.next_deadline(t0 + 1s), t0 + kAck);
  EXPECT_TRUE(t.finished(t0 + kAck));

  auto s = t.summary(t0 + kAck, TaskEnding::kFinished);
  EXPECT_FALSE(s.complete());
  ASSERT_EQ(s.missing_size(), 1);
  EXPECT_EQ(s.missing(0), "web-02");
  EXPECT_EQ(s.unreachable_size(), 1);
  EXPECT_EQ(s.no_result_size(), 0);
  EXPECT_EQ(s.text(), "1/2 succeeded; web-02 unreachable");
}

TEST(TaskTracker, AnAcknowledgedHostIsWaitedForUntilTheFinalDeadline) {
  auto t = tracker({"web-01", "db-01"});
  t.acknowledged("db-01");
  t.acknowledged("web-01");
  t.record(result("web-01"));
  EXPECT_FALSE(t.finished(t0 + kAck + 1s));
  EXPECT_EQ(t.next_deadline(t0 + kAck + 1s), t0 + kRunLimit);
  EXPECT_FALSE(t.finished(t0 + kRunLimit - 1ms));
  EXPECT_TRUE(t.finished(t0 + kRunLimit));

  auto s = t.summary(t0 + kRunLimit, TaskEnding::kFinished);
  EXPECT_EQ(s.no_result_size(), 1);
  EXPECT_EQ(s.unreachable_size(), 0);
  EXPECT_EQ(s.text(), "1/2 succeeded; db-01 no result (acknowledged, timed out waiting)");
}

TEST(TaskTracker, NothingExpectedIsFinishedAtOnce) {
  auto t = tracker({});
  EXPECT_TRUE(t.finished(t0));
  auto s = t.summary(t0, TaskEnding::kFinished);
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.text(), "0/0: no online node matches target roles=web");
}

TEST(TaskTracker, AResultFromAnUnexpectedHostIsKeptAndCounted) {
  auto t = tracker({"web-01"});
  t.record(result("web-09", tend::FAILED, "disk busy"));
  EXPECT_FALSE(t.finished(t0 + 1ms));  // web-01 still owes its result
  t.record(result("web-01"));
  EXPECT_TRUE(t.finished(t0 + 1ms));

  auto s = t.summary(t0 + 1ms, TaskEnding::kFinished);
  EXPECT_EQ(s.expected(), 1u);
  EXPECT_EQ(s.responded(), 2u);
  EXPECT_EQ(s.failed(), 1u);
  EXPECT_TRUE(s.complete());
  EXPECT_EQ(s.text(), "1/2 succeeded; web-09 FAILED: disk busy");
}

// Forged host names cannot grow a task without end: past the bound, a result
// from a host nobody expected is dropped; the expected hosts still count.
TEST(TaskTracker, ResultsFromUnexpectedHostsAreKeptOnlyUpToTheBound) {
  auto t = tracker({"web-01"});
  for (size_t i = 0; i < TaskTracker::kMaxUnexpectedHosts; ++i) {
    EXPECT_TRUE(t.record(result("stranger-" + std::to_string(i))));
  }
  EXPECT_FALSE(t.record(result("one-too-many")));
  EXPECT_TRUE(t.record(result("web-01")));
  auto s = t.summary(t0 + 10ms, TaskEnding::kFinished);
  EXPECT_EQ(s.responded(), TaskTracker::kMaxUnexpectedHosts + 1);
  EXPECT_TRUE(s.complete());
}

TEST(TaskTracker, TheFirstResultFromAHostWins) {
  auto t = tracker({"web-01"});
  EXPECT_TRUE(t.record(result("web-01", tend::FAILED, "repo error")));
  EXPECT_FALSE(t.record(result("web-01", tend::SUCCEEDED)));
  auto s = t.summary(t0, TaskEnding::kFinished);
  EXPECT_EQ(s.responded(), 1u);
  EXPECT_EQ(s.succeeded(), 0u);
  EXPECT_EQ(s.text(), "0/1 succeeded; web-01 FAILED: repo error");
}

TEST(TaskTracker, ExpectingMoreHostsWidensTheSet) {
  auto t = tracker({"web-01"});
  t.expect({"web-01", "db-01"});
  EXPECT_EQ(t.expected_hosts().size(), 2u);
}

TEST(TaskTracker, AShutdownAnswersWithWhatItHasMarkedIncomplete) {
  auto t = tracker({"web-01", "web-02", "web-03"});
  t.acknowledged("web-01");
  t.acknowledged("web-02");
  t.record(result("web-01"));
  auto s = t.summary(t0 + 1s, TaskEnding::kCoordinatorShuttingDown);
  EXPECT_FALSE(s.complete());
  EXPECT_EQ(s.text(),
            "1/3 succeeded; web-03 not acknowledged; web-02 no result yet (acknowledged); "
            "coordinator shutting down");
}

TEST(TaskTracker, TheTallyCountsResultsSoFar) {
  auto t = tracker({"web-01", "web-02", "web-03"});
  t.record(result("web-01"));
  t.record(result("web-02", tend::CRASHED));
  auto p = t.tally(t0);
  EXPECT_EQ(p.kind(), tend::Progress::TALLY);
  EXPECT_EQ(p.task_id(), "t-1");
  EXPECT_EQ(p.expected(), 3u);
  EXPECT_EQ(p.responded(), 2u);
  EXPECT_EQ(p.succeeded(), 1u);
  EXPECT_EQ(p.failed(), 1u);
  EXPECT_EQ(p.text(), "2/3 answered: 1 succeeded, 1 failed");
}

}  // namespace
}  // namespace tend
