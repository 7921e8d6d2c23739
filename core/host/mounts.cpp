#include "core/host/mounts.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "core/host/proc_text.h"

namespace tend::host {
namespace {

constexpr std::string_view kSkipped[] = {
    // pseudo filesystems: no disk behind them
    "proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs",
    "configfs", "pstore", "bpf", "mqueue", "hugetlbfs", "fusectl", "binfmt_misc", "autofs",
    "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs", "ramfs", "fuse.lxcfs",
    // read-only images: always 100%
    "squashfs", "iso9660",
    // network filesystems: statvfs hangs while the server is down
    "nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "ceph"};

// "\040" -> ' ', as the kernel escapes space, tab, newline and backslash.
std::string unescape(std::string_view field) {
  auto is_octal = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && is_octal(field[i + 1]) &&
        is_octal(field[i + 2]) && is_octal(field[i + 3])) {
      out += static_cast<char>((field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 +
                               (field[i + 3] - '0'));
      i += 3;
    } else {
      out += field[i];
    }
  }
  return out;
}

int percent_of(uint64_t used, uint64_t total) {
  if (total == 0) return 0;
  return static_cast<int>((used * 100 + total - 1) / total);
}

}  // namespace

std::vector<Mount> parse_mounts(std::string_view text) {
  std::vector<Mount> mounts;
  for (std::string_view line : split_lines(text)) {
    auto fields = split_fields(line);
    if (fields.size() < 3) continue;
    mounts.push_back({unescape(fields[0]), unescape(fields[1]), std::string(fields[2])});
  }
  return mounts;
}

bool is_skipped_filesystem(std::string_view fs_type) {
  return std::find(std::begin(kSkipped), std::end(kSkipped), fs_type) != std::end(kSkipped);
}

int usage_percent(uint64_t total, uint64_t free, uint64_t available) {
  uint64_t used = total >= free ? total - free : 0;
  return percent_of(used, used + available);
}

std::vector<MountUsage> read_mount_usage(const std::vector<Mount>& mounts, size_t limit,
                                         size_t& skipped) {
  // A later line for the same mount point covers the earlier one.
  std::vector<const Mount*> visible;
  for (const auto& mount : mounts) {
    if (is_skipped_filesystem(mount.fs_type)) continue;
    std::erase_if(visible, [&](const Mount* m) { return m->mount_point == mount.mount_point; });
    visible.push_back(&mount);
  }
  // The shortest path names a filesystem best: "/" rather than its bind
  // mounts such as /etc/hosts.
  std::stable_sort(visible.begin(), visible.end(), [](const Mount* a, const Mount* b) {
    return a->mount_point.size() < b->mount_point.size();
  });

  std::vector<MountUsage> usage;
  std::set<dev_t> seen;
  skipped = 0;
  for (const Mount* mount : visible) {
    struct stat st {};
    struct statvfs fs {};
    if (stat(mount->mount_point.c_str(), &st) != 0 ||
        statvfs(mount->mount_point.c_str(), &fs) != 0 || fs.f_blocks == 0) {
      continue;  // gone since the table was read, or holds no blocks at all
    }
    if (!seen.insert(st.st_dev).second) continue;
    if (usage.size() >= limit) {
      ++skipped;
      continue;
    }
    MountUsage u{.mount_point = mount->mount_point, .fs_type = mount->fs_type};
    u.disk_percent = usage_percent(fs.f_blocks, fs.f_bfree, fs.f_bavail);
    u.size_bytes = static_cast<uint64_t>(fs.f_blocks) * fs.f_frsize;
    u.available_bytes = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
    if (fs.f_files > 0) {
      u.inode_percent = usage_percent(fs.f_files, fs.f_ffree, fs.f_favail);
      u.inodes_total = fs.f_files;
      u.inodes_free = fs.f_favail;
    }
    usage.push_back(std::move(u));
  }
  // By path, as df lists them.
  std::stable_sort(usage.begin(), usage.end(), [](const MountUsage& a, const MountUsage& b) {
    return a.mount_point < b.mount_point;
  });
  return usage;
}

}  // namespace tend::host
