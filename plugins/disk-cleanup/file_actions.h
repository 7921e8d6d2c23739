// Deleting or compressing one candidate, safely.
//
// Time passes between the scan and the action, and in /tmp anyone may move
// things around meanwhile. So each action starts again from the root's
// descriptor, re-opens the file's directory by name without following
// symlinks (open_directory_below), and acts only if the name still holds the
// very file the scan judged (same device, inode and mtime, one link).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "plugins/disk-cleanup/candidate_scan.h"

namespace tend::disk_cleanup {

struct ActionOutcome {
  bool done = false;
  int64_t reclaimed = 0;  // allocated bytes freed; for gzip, original minus .gz
  std::string reason;     // why not, when !done
};

ActionOutcome delete_candidate(const CleanupRoot& root, const Candidate& file);

// Compresses the file to <name>.gz beside it (gzip format, level 6), with the
// original's owner, mode and timestamps, then removes the original. Writes a
// hidden temporary first and renames it into place without replacing
// anything, so a crash leaves the original intact. A file whose content is
// already compressed (by its magic bytes) is left as it is. `cancelled` is
// polled between chunks of a large file.
ActionOutcome gzip_candidate(const CleanupRoot& root, const Candidate& file,
                             const std::function<bool()>& cancelled);

}  // namespace tend::disk_cleanup
