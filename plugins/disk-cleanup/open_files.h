// Files some process has open right now, read from /proc/<pid>/fd.
//
// Deleting a file that is still open frees nothing until its last holder
// closes it, and compressing one loses whatever is written after: the live
// log a daemon still appends to, the temp file a job is writing. Those are
// left alone. As root every process is seen; otherwise only one's own.
#pragma once

#include <sys/types.h>

#include <set>
#include <utility>

#include "plugins/disk-cleanup/safe_walk.h"

namespace tend::disk_cleanup {

class OpenFiles {
 public:
  // A snapshot of every regular file open in any process this one may see.
  static OpenFiles snapshot();

  bool contains(FileIdentity file) const { return files_.count({file.dev, file.ino}) > 0; }
  size_t size() const { return files_.size(); }

 private:
  std::set<std::pair<dev_t, ino_t>> files_;
};

}  // namespace tend::disk_cleanup
