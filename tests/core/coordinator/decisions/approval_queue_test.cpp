// The approval queue: what waits, and what expires when.
#include "core/coordinator/decisions/approval_queue.h"

#include <gtest/gtest.h>

namespace tend::decisions {
namespace {

using namespace std::chrono_literals;

TEST(ApprovalQueue, AFixWaitsUntilItsTimeToLiveIsUp) {
  const WallTime t0 = std::chrono::system_clock::now();
  ApprovalQueue queue;
  queue.add({"t-1", 1, t0, t0 + 1h});
  queue.add({"t-2", 2, t0 + 10min, t0 + 70min});
  EXPECT_EQ(queue.next_expiry(), t0 + 1h);
  EXPECT_TRUE(queue.take_expired(t0 + 59min).empty());
  auto expired = queue.take_expired(t0 + 1h);
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].task_id, "t-1");
  EXPECT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue.next_expiry(), t0 + 70min);
}

TEST(ApprovalQueue, AnAnsweredFixIsGoneFromIt) {
  const WallTime t0 = std::chrono::system_clock::now();
  ApprovalQueue queue;
  queue.add({"t-1", 1, t0, t0 + 1h});
  ASSERT_TRUE(queue.find("t-1"));
  EXPECT_TRUE(queue.take("t-1"));
  EXPECT_FALSE(queue.take("t-1")) << "answered once only";
  EXPECT_FALSE(queue.next_expiry());
  EXPECT_TRUE(queue.take_expired(t0 + 2h).empty());
}

}  // namespace
}  // namespace tend::decisions
