#include "core/coordinator/early_arrivals.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using Clock = EarlyArrivals::Clock;

tend::Result result_for(const std::string& task_id, const std::string& host) {
  tend::Result r;
  r.set_task_id(task_id);
  r.set_host(host);
  return r;
}

TEST(EarlyArrivals, WhatCameAheadOfItsTaskIsHandedOverOnce) {
  EarlyArrivals early;
  auto now = Clock::now();
  early.ack("t1", "web-01", now);
  early.result(result_for("t1", "web-01"), now);
  early.ack("t2", "db-01", now);
  auto waiting = early.take("t1");
  EXPECT_EQ(waiting.acks, std::vector<std::string>{"web-01"});
  ASSERT_EQ(waiting.results.size(), 1u);
  EXPECT_EQ(waiting.results[0].host(), "web-01");
  EXPECT_TRUE(early.take("t1").acks.empty());
  EXPECT_EQ(early.take("t2").acks.size(), 1u);
}

TEST(EarlyArrivals, WhatNoTaskClaimsIsDroppedAfterAWhile) {
  EarlyArrivals early;
  auto then = Clock::now();
  early.ack("old", "web-01", then);
  early.ack("new", "web-02", then + EarlyArrivals::kKeepFor + std::chrono::seconds(1));
  EXPECT_TRUE(early.take("old").acks.empty());
  EXPECT_EQ(early.take("new").acks.size(), 1u);
}

// A flood of ACKs for ids nobody dispatched cannot grow it without end: the
// oldest task's arrivals make room.
TEST(EarlyArrivals, AFloodPushesOutTheOldestInsteadOfGrowing) {
  EarlyArrivals early;
  auto now = Clock::now();
  early.ack("first", "web-01", now);
  for (size_t i = 0; i < EarlyArrivals::kMaxHeld; ++i) {
    early.ack("flood", "host-" + std::to_string(i), now);
  }
  EXPECT_TRUE(early.take("first").acks.empty()) << "pushed out at the bound";
  EXPECT_EQ(early.take("flood").acks.size(), EarlyArrivals::kMaxHeld)
      << "up to the bound everything is kept";
}

}  // namespace
}  // namespace tend
