#include "plugins/disk-cleanup/disk_usage.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tend::disk_cleanup {

double DiskUsage::percent() const {
  uint64_t usable = used_bytes + available_bytes;
  if (usable == 0) return 0;
  return 100.0 * static_cast<double>(used_bytes) / static_cast<double>(usable);
}

DiskUsage DiskUsage::after_freeing(int64_t bytes) const {
  DiskUsage after = *this;
  if (bytes <= 0) return after;
  uint64_t freed = std::min(static_cast<uint64_t>(bytes), used_bytes);
  after.used_bytes -= freed;
  after.available_bytes += freed;
  return after;
}

Expected<DiskUsage> read_disk_usage(const std::string& path) {
  struct statvfs fs {};
  if (statvfs(path.c_str(), &fs) != 0) {
    return make_error("cannot measure the usage of " + path + ": " + std::strerror(errno));
  }
  uint64_t unit = fs.f_frsize ? fs.f_frsize : fs.f_bsize;
  DiskUsage usage;
  usage.used_bytes = (static_cast<uint64_t>(fs.f_blocks) - fs.f_bfree) * unit;
  usage.available_bytes = static_cast<uint64_t>(fs.f_bavail) * unit;
  return usage;
}

Expected<dev_t> filesystem_device(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return make_error("cannot stat " + path + ": " + std::strerror(errno));
  }
  return st.st_dev;
}

}  // namespace tend::disk_cleanup
