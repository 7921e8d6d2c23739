// How full a filesystem is, measured the way `df` measures it, so the numbers
// in a report match what the engineer sees on the node and what the alert
// fired on.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <tend/expected.hpp>

namespace tend::disk_cleanup {

struct DiskUsage {
  uint64_t used_bytes = 0;
  // Free space an unprivileged writer can use (root's reserve excluded).
  uint64_t available_bytes = 0;

  // used / (used + available), as df's Use% (df rounds it up; this does not).
  double percent() const;
  // The same filesystem once `bytes` more are freed: a dry run's projection.
  DiskUsage after_freeing(int64_t bytes) const;
};

// statvfs(2) of `path`: any file or directory on the filesystem.
Expected<DiskUsage> read_disk_usage(const std::string& path);

// The device number that identifies the filesystem holding `path`.
Expected<dev_t> filesystem_device(const std::string& path);

}  // namespace tend::disk_cleanup
