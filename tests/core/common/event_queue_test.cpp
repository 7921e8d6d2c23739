// The queue between NATS callbacks and a coordinator thread: bounded for
// what comes from outside, never for what the coordinator says to itself.
#include "core/common/event_queue.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

using namespace std::chrono_literals;

std::optional<int> pop_now(EventQueue<int>& queue) {
  return queue.pop_until(std::chrono::steady_clock::now());
}

TEST(EventQueue, UpToItsCountEverythingIsTakenAndOneMoreIsRefusedNamingTheBound) {
  EventQueue<int> queue("coordinator", QueueLimits{.max_events = 3, .max_bytes = 1 << 20});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(queue.try_push(i, 10)) << i;
  auto refused = queue.try_push(3, 10);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "coordinator busy: 3 events queued; the limit is 3");
  EXPECT_EQ(pop_now(queue), 0);
  EXPECT_TRUE(queue.try_push(3, 10)) << "room again once one is taken";
}

TEST(EventQueue, TheBytesWaitingAreBoundedToo) {
  EventQueue<int> queue("alert loop", QueueLimits{.max_events = 100, .max_bytes = 1000});
  EXPECT_TRUE(queue.try_push(1, 600));
  EXPECT_TRUE(queue.try_push(2, 400)) << "exactly the bound fits";
  auto refused = queue.try_push(3, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "alert loop busy: the event queue with this one is 1001 bytes; the limit is 1000");
  EXPECT_EQ(pop_now(queue), 1);
  EXPECT_TRUE(queue.try_push(3, 500));
}

TEST(EventQueue, OneEventLargerThanTheByteBoundStillFitsAnEmptyQueue) {
  EventQueue<int> queue("coordinator", QueueLimits{.max_events = 100, .max_bytes = 1000});
  EXPECT_TRUE(queue.try_push(1, 5000));
  EXPECT_FALSE(queue.try_push(2, 1));
}

TEST(EventQueue, WhatTheCoordinatorSaysToItselfIsNeverRefused) {
  EventQueue<int> queue("coordinator", QueueLimits{.max_events = 1, .max_bytes = 1000});
  EXPECT_TRUE(queue.try_push(1, 10));
  queue.push(2);
  queue.push(3);
  EXPECT_EQ(queue.size(), 3u);
  EXPECT_EQ(pop_now(queue), 1);
  EXPECT_EQ(pop_now(queue), 2);
  EXPECT_EQ(pop_now(queue), 3);
  EXPECT_EQ(pop_now(queue), std::nullopt);
}

}  // namespace
}  // namespace tend
