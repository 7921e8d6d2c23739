// Finding what may be cleaned: every regular file under the configured roots
// that matches its category's patterns, is older than its max_age, is not
// open, and has no other hard link — plus a tally of what was left alone and
// why, which is what the engineer looks at next when cleaning was not enough.
#pragma once

#include <sys/types.h>

#include <array>
#include <ctime>
#include <functional>
#include <string>
#include <tend/unique_fd.hpp>
#include <vector>

#include "plugins/disk-cleanup/category.h"
#include "plugins/disk-cleanup/cleanup_config.h"
#include "plugins/disk-cleanup/open_files.h"
#include "plugins/disk-cleanup/safe_walk.h"

namespace tend::disk_cleanup {

// A configured root, opened without following any symlink on its path.
struct CleanupRoot {
  Category category;
  std::string path;
  UniqueFd fd;
};

struct SkippedRoot {
  Category category;
  std::string path;
  std::string reason;  // "does not exist", "is on another filesystem than /data ..."
};

struct CleanupRoots {
  std::vector<CleanupRoot> usable;
  std::vector<SkippedRoot> skipped;
};

// Opens every root of `config`. A root on another filesystem than the one
// being cleaned (`filesystem`, its device) cannot lower its usage: skipped.
CleanupRoots open_cleanup_roots(const CleanupConfig& config, dev_t filesystem);

struct Candidate {
  Category category;
  size_t root;  // index into CleanupRoots::usable
  std::vector<std::string> dirs;
  std::string name;
  FileIdentity file;
  FileIdentity parent;
  int64_t size = 0;       // st_size
  int64_t allocated = 0;  // st_blocks * 512: what deleting it frees
  struct timespec mtime {};
};

// The order files are taken in: category order, then the largest first;
// ties by path, so that two runs over the same files agree.
bool taken_before(const Candidate& a, const Candidate& b);

// Why a file that matched a category's patterns was left alone.
enum class LeftAloneReason { kYoung, kOpen, kHardLinked, kSmall, kCompressed, kCount };

struct LeftAlone {
  uint64_t files = 0;
  int64_t bytes = 0;  // allocated
};

struct ScanReport {
  // At most config.max_files of them — the first ones taken_before would
  // pick, since a run never gets further — so a tree of millions of files
  // costs no more memory than one of ten thousand. In no particular order.
  std::vector<Candidate> candidates;
  std::array<LeftAlone, static_cast<size_t>(LeftAloneReason::kCount)> left_alone{};
  int64_t bytes_under_roots = 0;  // every regular file under the roots, allocated
  WalkStats walk;
  bool cancelled = false;
};

// Walks the usable roots in order. A file under two roots (overlapping
// settings) belongs to the first category, in kCategoryOrder, whose patterns
// match it.
ScanReport scan_for_candidates(const CleanupConfig& config, const CleanupRoots& roots,
                               const OpenFiles& open_files, time_t now,
                               const std::function<bool()>& cancelled);

// Already compressed, judged by its name: gzip mode leaves these alone.
bool has_compressed_name(const std::string& name);

}  // namespace tend::disk_cleanup
