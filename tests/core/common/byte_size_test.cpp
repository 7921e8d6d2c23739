#include "core/common/byte_size.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

TEST(ByteSize, DecimalAndBinaryUnits) {
  EXPECT_EQ(*parse_byte_size("512"), 512u);
  EXPECT_EQ(*parse_byte_size("10K"), 10240u);
  EXPECT_EQ(*parse_byte_size("500MB"), 500'000'000u);
  EXPECT_EQ(*parse_byte_size("2GiB"), 2ULL << 30);
  EXPECT_EQ(*parse_byte_size("1 TB"), 1'000'000'000'000u);
}

TEST(ByteSize, RefusesWhatItCannotRead) {
  for (const char* bad : {"", "MB", "5XB", "-1", "1.5GB"}) {
    auto size = parse_byte_size(bad);
    ASSERT_FALSE(size) << bad;
    EXPECT_NE(size.error().message.find("is not a size"), std::string::npos);
  }
}

TEST(ByteSize, FormatsForPeople) {
  EXPECT_EQ(format_byte_size(512), "512 B");
  EXPECT_EQ(format_byte_size(1536), "1.5 KiB");
  EXPECT_EQ(format_byte_size(1ULL << 30), "1.0 GiB");
}

}  // namespace
}  // namespace tend
