#include "bus/pending_limits.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

bool same(PendingLimits a, PendingLimits b) {
  return a.messages == b.messages && a.bytes == b.bytes;
}

TEST(PendingLimits, AreChosenByWhatTheSubjectCarries) {
  constexpr int64_t kMiB = 1024 * 1024;
  EXPECT_TRUE(same(pending_limits_for("tend.task.host.web-01"), {10'000, 16 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("acme.task.all"), {10'000, 16 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("tend.control.web-01"), {100, 1 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("tend.result.t-1"), {100'000, 256 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("tend.progress.t-1"), {100'000, 256 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("tend.heartbeat.web-01"), {100'000, 256 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("tend.submit"), {10'000, 64 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("_INBOX.abc.def"), {10'000, 64 * kMiB}));
  EXPECT_TRUE(same(pending_limits_for("task"), {10'000, 64 * kMiB})) << "a prefix alone";
}

TEST(PendingLimits, AWildcardHearsManySendersAndGetsTheFanInLimits) {
  constexpr int64_t kMiB = 1024 * 1024;
  for (const char* subject :
       {"tend.task.>", "tend.control.>", "tend.result.*", "tend.heartbeat.*", "tend.approve.*"}) {
    EXPECT_TRUE(same(pending_limits_for(subject), {100'000, 256 * kMiB})) << subject;
  }
}

}  // namespace
}  // namespace tend
