// What a node's kernel says about it, read from sample text: the mount
// table and df's arithmetic, memory, load, failed units.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/host/failed_units.h"
#include "core/host/load.h"
#include "core/host/memory.h"
#include "core/host/mounts.h"

namespace tend::host {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kMounts =
    "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
    "/dev/vda1 / ext4 rw,relatime 0 0\n"
    "tmpfs /run tmpfs rw,nosuid,nodev,size=1620212k,mode=755 0 0\n"
    "/dev/vdb1 /srv/my\\040data xfs rw,relatime 0 0\n"
    "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n"
    "server:/export /mnt/nfs nfs4 rw,relatime 0 0\n"
    "/dev/loop3 /snap/core/1 squashfs ro 0 0\n";

TEST(HostFacts, ParsesTheMountTableAndUndoesItsEscapes) {
  auto mounts = parse_mounts(kMounts);
  ASSERT_EQ(mounts.size(), 7u);
  EXPECT_EQ(mounts[1].device, "/dev/vda1");
  EXPECT_EQ(mounts[1].mount_point, "/");
  EXPECT_EQ(mounts[1].fs_type, "ext4");
  EXPECT_EQ(mounts[3].mount_point, "/srv/my data");
}

TEST(HostFacts, SkipsPseudoImageAndNetworkFilesystemsButNotTmpfs) {
  for (const char* skipped : {"proc", "sysfs", "cgroup2", "devtmpfs", "squashfs", "nfs4", "cifs"}) {
    EXPECT_TRUE(is_skipped_filesystem(skipped)) << skipped;
  }
  for (const char* kept : {"ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs", "vfat"}) {
    EXPECT_FALSE(is_skipped_filesystem(kept)) << kept;
  }
}

TEST(HostFacts, UsageRoundsUpAsDfDoes) {
  // 900 used, 50 available to users (the rest reserved for root): 900/950.
  EXPECT_EQ(usage_percent(1000, 100, 50), 95);
  EXPECT_EQ(usage_percent(1000, 1000, 1000), 0);
  EXPECT_EQ(usage_percent(1000, 0, 0), 100);
  EXPECT_EQ(usage_percent(1000, 999, 999), 1);  // 0.1% reads 1%, as in df
  EXPECT_EQ(usage_percent(0, 0, 0), 0);
}

TEST(HostFacts, ReadsEachRealFilesystemOnceUnderItsShortestPath) {
  // The root filesystem under two names, and /proc, which is skipped.
  std::vector<Mount> mounts = {{"/dev/x", "/tmp", "ext4"},
                               {"/dev/x", "/", "ext4"},
                               {"proc", "/proc", "proc"},
                               {"/dev/gone", "/no/such/dir", "ext4"}};
  size_t skipped = 0;
  auto usage = read_mount_usage(mounts, 10, skipped);
  // /tmp may be a filesystem of its own on some machines; "/" is always there.
  ASSERT_FALSE(usage.empty());
  EXPECT_EQ(usage.front().mount_point, "/");
  for (const auto& u : usage) {
    EXPECT_NE(u.mount_point, "/proc");
    EXPECT_GE(u.disk_percent, 0);
    EXPECT_LE(u.disk_percent, 100);
    EXPECT_GT(u.size_bytes, 0u);
  }
  auto limited = read_mount_usage(mounts, 0, skipped);
  EXPECT_TRUE(limited.empty());
  EXPECT_EQ(skipped, usage.size());
}

TEST(HostFacts, ParsesMeminfo) {
  auto info = parse_meminfo(
      "MemTotal:       24683656 kB\n"
      "MemFree:        22016844 kB\n"
      "MemAvailable:   22823876 kB\n"
      "Buffers:            6156 kB\n"
      "SwapTotal:       2097148 kB\n"
      "SwapFree:        1048574 kB\n"
      "HugePages_Total:       0\n");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->total_bytes, 24683656ull * 1024);
  EXPECT_EQ(info->available_bytes, 22823876ull * 1024);
  EXPECT_EQ(info->swap_used_bytes(), (2097148ull - 1048574ull) * 1024);
  EXPECT_EQ(info->used_percent(), 8);  // 1,859,780 of 24,683,656 kB
}

TEST(HostFacts, MeminfoWithoutMemAvailableFallsBackToFreePlusCaches) {
  auto info = parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->available_bytes, 400u * 1024);
  EXPECT_EQ(info->used_percent(), 60);
  EXPECT_FALSE(parse_meminfo("MemFree: 100 kB\n"));
  EXPECT_FALSE(parse_meminfo(""));
}

TEST(HostFacts, ParsesLoadAverages) {
  auto load = parse_loadavg("2.63 1.21 0.93 6/140 15636\n");
  ASSERT_TRUE(load);
  EXPECT_DOUBLE_EQ(load->one, 2.63);
  EXPECT_DOUBLE_EQ(load->five, 1.21);
  EXPECT_DOUBLE_EQ(load->fifteen, 0.93);
  EXPECT_FALSE(parse_loadavg("2.63 1.21\n"));
  EXPECT_FALSE(parse_loadavg("a b c"));
  EXPECT_GE(online_cpus(), 1);
}

TEST(HostFacts, ParsesFailedUnits) {
  EXPECT_THAT(
      parse_failed_units("nginx.service loaded failed failed A high performance web server\n"
                         "\u25cf backup.timer loaded failed failed Nightly backup\n"
                         "\n"),
      ElementsAre("nginx.service", "backup.timer"));
  EXPECT_TRUE(parse_failed_units("").empty());
}

}  // namespace
}  // namespace tend::host
