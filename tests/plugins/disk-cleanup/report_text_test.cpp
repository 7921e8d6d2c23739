// The words and numbers disk-cleanup reports, and the checks on its settings
// that need no filesystem.
#include "plugins/disk-cleanup/report_text.h"

#include <gtest/gtest.h>

#include "plugins/disk-cleanup/cleanup_config.h"

namespace tend::disk_cleanup {
namespace {

TEST(DiskCleanupText, BytesReadInBinaryUnits) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(3LL * 1024 * 1024), "3.0 MiB");
  EXPECT_EQ(format_bytes(3435973837LL), "3.2 GiB");
  EXPECT_EQ(format_bytes(-2048), "-2.0 KiB");
}

TEST(DiskCleanupText, CountsHaveThousandsSeparators) {
  EXPECT_EQ(format_count(7), "7");
  EXPECT_EQ(format_count(1204), "1,204");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(count_of(1, "file", "files"), "1 file");
  EXPECT_EQ(count_of(1204, "file", "files"), "1,204 files");
}

TEST(DiskCleanupText, DurationsUseTheLargestWholeUnit) {
  EXPECT_EQ(format_duration(7 * 86400), "7d");
  EXPECT_EQ(format_duration(36 * 3600), "36h");
  EXPECT_EQ(format_duration(90 * 60), "90m");
  EXPECT_EQ(format_duration(45), "45s");
}

TEST(DiskCleanupConfig, DurationsReadAsTheAgentReadsThem) {
  int64_t seconds = 0;
  EXPECT_TRUE(parse_duration("90", seconds));
  EXPECT_EQ(seconds, 90);
  EXPECT_TRUE(parse_duration("2h", seconds));
  EXPECT_EQ(seconds, 7200);
  EXPECT_TRUE(parse_duration("1w", seconds));
  EXPECT_EQ(seconds, 7 * 86400);
  EXPECT_FALSE(parse_duration("soon", seconds));
  EXPECT_FALSE(parse_duration("5 years", seconds));
  EXPECT_FALSE(parse_duration("-1h", seconds));
}

TEST(DiskCleanupConfig, RootsMustBePlainAbsoluteDirectoriesOtherThanSlash) {
  EXPECT_EQ(check_root("/var/log"), "");
  EXPECT_EQ(check_root("/var/log/"), "");
  EXPECT_NE(check_root("var/log"), "");
  EXPECT_NE(check_root("/"), "");
  EXPECT_NE(check_root("//"), "");
  EXPECT_NE(check_root("/var/log/../../etc"), "");
  EXPECT_NE(check_root("/var/./log"), "");
}

}  // namespace
}  // namespace tend::disk_cleanup
