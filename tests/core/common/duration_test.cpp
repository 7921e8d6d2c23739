#include "core/common/duration.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

TEST(Duration, ReadsSecondsAndUnits) {
  EXPECT_EQ(parse_duration("300")->count(), 300);
  EXPECT_EQ(parse_duration("90s")->count(), 90);
  EXPECT_EQ(parse_duration("5m")->count(), 300);
  EXPECT_EQ(parse_duration("2h")->count(), 7200);
  EXPECT_EQ(parse_duration("7d")->count(), 7 * 86400);
  EXPECT_EQ(parse_duration("1w")->count(), 7 * 86400);
}

TEST(Duration, RefusesWhatItCannotRead) {
  for (const char* bad : {"", "m", "5x", "-5m", "5 m", "1.5h"}) {
    auto d = parse_duration(bad);
    ASSERT_FALSE(d) << bad;
    EXPECT_NE(d.error().message.find("is not a duration"), std::string::npos);
  }
}

}  // namespace
}  // namespace tend
