#include "plugins/disk-cleanup/candidate_scan.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <tuple>
#include <utility>

namespace tend::disk_cleanup {
namespace {

// How often the walk looks at cancellation: often enough to stop promptly,
// rarely enough to cost nothing.
constexpr uint64_t kFilesBetweenCancelChecks = 256;

const CategoryConfig* config_for(const CleanupConfig& config, Category category) {
  for (const CategoryConfig& wanted : config.categories) {
    if (wanted.category == category) return &wanted;
  }
  return nullptr;
}

bool matches_any(const std::vector<std::string>& patterns, const std::string& name) {
  for (const std::string& pattern : patterns) {
    if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class Scanner {
 public:
  Scanner(const CleanupConfig& config, const OpenFiles& open_files, time_t now,
          const std::function<bool()>& cancelled)
      : config_(config),
        open_files_(open_files),
        now_(now),
        cancelled_(cancelled),
        keep_(static_cast<size_t>(std::max<int64_t>(1, config.max_files))) {}

  void scan_root(const CleanupRoot& root, size_t index) {
    const CategoryConfig* wanted = config_for(config_, root.category);
    if (!wanted || report_.cancelled) return;
    WalkStats stats = walk_regular_files(root.fd.get(), [&](const WalkedFile& file) {
      if (++visited_ % kFilesBetweenCancelChecks == 0 && cancelled_ && cancelled_()) {
        report_.cancelled = true;
        return false;
      }
      consider(*wanted, index, file);
      return true;
    });
    report_.walk.symlinks_skipped += stats.symlinks_skipped;
    report_.walk.mount_points_skipped += stats.mount_points_skipped;
    report_.walk.unreadable_directories += stats.unreadable_directories;
    report_.walk.too_deep += stats.too_deep;
  }

  ScanReport take() {
    keep_first();
    return std::move(report_);
  }

 private:
  void consider(const CategoryConfig& wanted, size_t root, const WalkedFile& file) {
    const struct stat& st = file.st;
    int64_t allocated = static_cast<int64_t>(st.st_blocks) * 512;
    // Overlapping roots reach some files twice: each counts once, and
    // belongs to the first category whose patterns it matches.
    std::pair<dev_t, ino_t> id{st.st_dev, st.st_ino};
    if (counted_.insert(id).second) report_.bytes_under_roots += allocated;
    if (!matches_any(wanted.patterns, file.name)) return;
    if (!claimed_.insert(id).second) return;
    if (allocated == 0) return;  // removing it would free nothing

    if (st.st_nlink > 1) return leave(LeftAloneReason::kHardLinked, allocated);
    if (static_cast<uint64_t>(st.st_size) < config_.min_size) {
      return leave(LeftAloneReason::kSmall, allocated);
    }
    if (now_ - st.st_mtime < wanted.max_age_s) return leave(LeftAloneReason::kYoung, allocated);
    if (config_.skip_open_files && open_files_.contains(identity_of(st))) {
      return leave(LeftAloneReason::kOpen, allocated);
    }
    if (wanted.category == Category::kLogs && config_.log_action == LogAction::kGzip &&
        has_compressed_name(file.name)) {
      return leave(LeftAloneReason::kCompressed, allocated);
    }
    if (report_.candidates.size() >= 2 * keep_) keep_first();
    report_.candidates.push_back(Candidate{.category = wanted.category,
                                           .root = root,
                                           .dirs = file.dirs,
                                           .name = file.name,
                                           .file = identity_of(st),
                                           .parent = file.parent,
                                           .size = static_cast<int64_t>(st.st_size),
                                           .allocated = allocated,
                                           .mtime = st.st_mtim});
  }

  // Drops every candidate a run could not reach within max_files.
  void keep_first() {
    std::vector<Candidate>& all = report_.candidates;
    if (all.size() <= keep_) return;
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep_), all.end(),
                     taken_before);
    all.resize(keep_);
  }

  void leave(LeftAloneReason reason, int64_t allocated) {
    LeftAlone& tally = report_.left_alone[static_cast<size_t>(reason)];
    ++tally.files;
    tally.bytes += allocated;
  }

  const CleanupConfig& config_;
  const OpenFiles& open_files_;
  time_t now_;
  const std::function<bool()>& cancelled_;
  size_t keep_;
  std::set<std::pair<dev_t, ino_t>> counted_;
  std::set<std::pair<dev_t, ino_t>> claimed_;
  uint64_t visited_ = 0;
  ScanReport report_;
};

}  // namespace

CleanupRoots open_cleanup_roots(const CleanupConfig& config, dev_t filesystem) {
  CleanupRoots roots;
  for (const CategoryConfig& wanted : config.categories) {
    for (const std::string& path : wanted.roots) {
      auto skip = [&](std::string reason) {
        roots.skipped.push_back({wanted.category, path, std::move(reason)});
      };
      Expected<UniqueFd> opened = open_directory_path(path);
      if (!opened) {
        skip(opened.error().message);
        continue;
      }
      struct stat st {};
      if (fstat(opened->get(), &st) != 0) {
        skip(path + ": " + std::strerror(errno));
        continue;
      }
      if (st.st_dev != filesystem) {
        skip(path + " is on another filesystem than " + config.path +
             ", so cleaning it cannot lower that usage");
        continue;
      }
      roots.usable.push_back({wanted.category, path, std::move(*opened)});
    }
  }
  return roots;
}

ScanReport scan_for_candidates(const CleanupConfig& config, const CleanupRoots& roots,
                               const OpenFiles& open_files, time_t now,
                               const std::function<bool()>& cancelled) {
  Scanner scanner(config, open_files, now, cancelled);
  // Category by category, so that overlapping roots go to the earlier one.
  for (Category category : kCategoryOrder) {
    for (size_t i = 0; i < roots.usable.size(); ++i) {
      if (roots.usable[i].category == category) scanner.scan_root(roots.usable[i], i);
    }
  }
  return scanner.take();
}

bool taken_before(const Candidate& a, const Candidate& b) {
  if (a.category != b.category) return a.category < b.category;
  if (a.allocated != b.allocated) return a.allocated > b.allocated;
  return std::tie(a.dirs, a.name) < std::tie(b.dirs, b.name);
}

bool has_compressed_name(const std::string& name) {
  static const char* const kSuffixes[] = {".gz",  ".xz", ".bz2", ".zst", ".lz4",  ".lzma", ".Z",
                                          ".zip", ".7z", ".tgz", ".txz", ".tbz2", ".br"};
  for (const char* suffix : kSuffixes) {
    if (ends_with(name, suffix)) return true;
  }
  return false;
}

}  // namespace tend::disk_cleanup
