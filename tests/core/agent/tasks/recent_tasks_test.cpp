#include "core/agent/tasks/recent_tasks.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using Admission = RecentTasks::Admission;

TEST(RecentTasks, ANewTaskIsAdmittedOnce) {
  RecentTasks recent;
  EXPECT_EQ(recent.admit("t1").admission, Admission::kNew);
  EXPECT_EQ(recent.admit("t1").admission, Admission::kRunning);
}

TEST(RecentTasks, ASecondDeliveryAfterTheEndGetsTheFirstResult) {
  RecentTasks recent;
  recent.admit("t1");
  tend::Result result;
  result.set_task_id("t1");
  result.set_status(tend::SUCCEEDED);
  recent.finish(result);
  auto seen = recent.admit("t1");
  EXPECT_EQ(seen.admission, Admission::kDone);
  ASSERT_TRUE(seen.result);
  EXPECT_EQ(seen.result->status(), tend::SUCCEEDED);
}

TEST(RecentTasks, ForgetsTheOldestBeyondItsCapacity) {
  RecentTasks recent(2);
  recent.admit("a");
  recent.admit("b");
  recent.admit("c");
  EXPECT_EQ(recent.admit("a").admission, Admission::kNew);
  EXPECT_EQ(recent.admit("c").admission, Admission::kRunning);
}

}  // namespace
}  // namespace tend
