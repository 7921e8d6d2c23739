// The one way a bound is refused: the field, its size and the limit.
#include "core/common/input_bounds.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

TEST(InputBounds, AValueAtItsLimitIsAccepted) {
  EXPECT_TRUE(check_bytes("param 'command'", 4096, 4096));
  EXPECT_TRUE(check_items("param 'paths'", 0, 1024));
  EXPECT_TRUE(check_range("timeout_s", 1, 1, 86400, "s"));
  EXPECT_TRUE(check_range("timeout_s", 86400, 1, 86400, "s"));
}

TEST(InputBounds, OverTheLimitTheRefusalNamesTheFieldItsSizeAndTheLimit) {
  EXPECT_EQ(check_bytes("param 'command'", 300000, 4096).error().message,
            "param 'command' is 300000 bytes; the limit is 4096");
  EXPECT_EQ(check_items("param 'paths'", 5000, 1024).error().message,
            "param 'paths' has 5000 items; the limit is 1024");
  EXPECT_EQ(check_range("timeout_s", 99999999, 1, 86400, "s").error().message,
            "timeout_s 99999999 is out of range: use 1 to 86400 s");
  EXPECT_EQ(check_range("sleep_ms", -1, 0, 3600000, "").error().message,
            "sleep_ms -1 is out of range: use 0 to 3600000");
}

TEST(InputBounds, RoomIsRefusedOnceTheTableHoldsItsLimit) {
  EXPECT_TRUE(check_room("coordinator", 9999, "tasks in flight", 10000));
  auto full = check_room("coordinator", 10000, "tasks in flight", 10000);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().message, "coordinator busy: 10000 tasks in flight; the limit is 10000");
}

}  // namespace
}  // namespace tend
