// The one way a bound is refused: the field, its size and the limit.
#include "core/common/input_bounds.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

TEST(InputBounds, RoomIsRefusedOnceTheTableHoldsItsLimit) {
  EXPECT_TRUE(check_room("coordinator", 9999, "tasks in flight", 10000));
  auto full = check_room("coordinator", 10000, "tasks in flight", 10000);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().message, "coordinator busy: 10000 tasks in flight; the limit is 10000");
}

}  // namespace
}  // namespace tend
