// Disk and inode use per mounted filesystem, as df reports them: the mount
// table from /proc/self/mounts, then statvfs on each real filesystem.
//
// Skipped: pseudo filesystems (proc, sysfs, cgroup, ...), read-only images
// that are always full (squashfs, iso9660), and network filesystems, whose
// statvfs would hang the whole check while their server is down. tmpfs and
// overlay count: a full /run or container root breaks things too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tend::host {

struct Mount {
  std::string device;
  std::string mount_point;
  std::string fs_type;
};

// One entry per line of /proc/self/mounts, with the kernel's octal escapes
// ("\040" for a space) undone.
std::vector<Mount> parse_mounts(std::string_view text);

bool is_skipped_filesystem(std::string_view fs_type);

// df's "Use%": used / (used + available to unprivileged users), rounded up,
// so 90.1% reads 91%. 0 for an empty filesystem.
int usage_percent(uint64_t total, uint64_t free, uint64_t available);

struct MountUsage {
  std::string mount_point;
  std::string fs_type;
  int disk_percent = 0;
  uint64_t size_bytes = 0;
  uint64_t available_bytes = 0;
  int inode_percent = -1;  // -1: the filesystem keeps no inode count (btrfs)
  uint64_t inodes_total = 0;
  uint64_t inodes_free = 0;
};

// statvfs on each mount kept, one entry per filesystem (a bind mount of one
// already seen is left out), at most `limit`; `skipped` counts the rest.
std::vector<MountUsage> read_mount_usage(const std::vector<Mount>& mounts, size_t limit,
                                         size_t& skipped);

}  // namespace tend::host
