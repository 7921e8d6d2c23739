#include "core/common/task_id.h"

#include <gtest/gtest.h>

#include "bus/names.h"

namespace tend {
namespace {

TEST(TaskId, NewIdsAreUniqueAndFitInASubject) {
  auto a = new_task_id(), b = new_task_id();
  EXPECT_NE(a, b);
  EXPECT_TRUE(is_valid_name(a));
}

TEST(TaskId, DerivedIdIsTheSameForEveryoneWhoSawTheSameMessage) {
  auto a = derived_task_id("tend.task.role.web", "", R"({"plugin":"noop"})");
  EXPECT_EQ(a, derived_task_id("tend.task.role.web", "", R"({"plugin":"noop"})"));
  EXPECT_EQ(a, "d-" + a.substr(2));
  EXPECT_TRUE(is_valid_name(a));
}

TEST(TaskId, DerivedIdDiffersBySubjectReplyOrPayload) {
  auto base = derived_task_id("tend.task.all", "", "{}");
  EXPECT_NE(base, derived_task_id("tend.task.role.db", "", "{}"));
  EXPECT_NE(base, derived_task_id("tend.task.all", "_INBOX.x", "{}"));
  EXPECT_NE(base, derived_task_id("tend.task.all", "", "{ }"));
}

}  // namespace
}  // namespace tend
