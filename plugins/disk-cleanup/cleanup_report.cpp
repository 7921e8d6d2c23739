#include "plugins/disk-cleanup/cleanup_report.h"

#include <algorithm>
#include <vector>

#include "plugins/disk-cleanup/report_text.h"

namespace tend::disk_cleanup {
namespace {

// Enough paths per category for the engineer to see what went; the rest is
// counted, so an output stays far below the agent's size bound.
constexpr size_t kPathsPerCategory = 20;
constexpr size_t kLargestShown = 5;
constexpr size_t kFailuresShown = 10;

std::string path_of(const CleanupRoots& roots, const Candidate& file) {
  return join_path(roots.usable.at(file.root).path, file.dirs, file.name);
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
  return text;
}

const char* verb(StepAction action, bool dry_run) {
  if (action == StepAction::kGzip) return dry_run ? "would compress" : "compressed";
  return dry_run ? "would delete" : "deleted";
}

// "deleted 2 files, compressed 1 (4.0 MiB): /var/log/a.1 (3.0 MiB), ..."
std::string category_text(const CleanupRoots& roots, const CategoryTally& tally, bool dry_run) {
  std::vector<std::string> counts;
  if (tally.deleted) {
    counts.push_back(std::string(verb(StepAction::kDelete, dry_run)) + " " +
                     count_of(tally.deleted, "file", "files"));
  }
  if (tally.compressed) {
    counts.push_back(std::string(verb(StepAction::kGzip, dry_run)) + " " +
                     count_of(tally.compressed, "file", "files"));
  }
  if (counts.empty()) return dry_run ? "nothing would be touched" : "nothing touched";
  std::vector<std::string> paths;
  for (size_t i = 0; i < tally.files.size() && i < kPathsPerCategory; ++i) {
    paths.push_back(path_of(roots, *tally.files[i].file) + " (" +
                    format_bytes(tally.files[i].file->allocated) + ")");
  }
  std::string text = join(counts, ", ") + " (" + (dry_run ? "about " : "") +
                     format_bytes(tally.bytes) + (dry_run ? "" : " reclaimed") +
                     "): " + join(paths, ", ");
  if (tally.files.size() > kPathsPerCategory) {
    text += " and " + format_count(tally.files.size() - kPathsPerCategory) + " more";
  }
  return text;
}

std::string left_alone_text(const CleanupConfig& config, const ScanReport& scan) {
  auto tally = [&](LeftAloneReason reason) { return scan.left_alone[static_cast<size_t>(reason)]; };
  // The age is worth showing when every category has the same one.
  bool one_max_age = std::all_of(config.categories.begin(), config.categories.end(),
                                 [&](const CategoryConfig& wanted) {
                                   return wanted.max_age_s == config.categories[0].max_age_s;
                                 });
  struct Line {
    LeftAloneReason reason;
    std::string singular, plural;
  };
  const std::vector<Line> lines = {
      {LeftAloneReason::kYoung, "file younger than max_age", "files younger than max_age"},
      {LeftAloneReason::kOpen, "file open by a process", "files open by a process"},
      {LeftAloneReason::kHardLinked, "file with other hard links", "files with other hard links"},
      {LeftAloneReason::kSmall, "file smaller than min_size", "files smaller than min_size"},
      {LeftAloneReason::kCompressed, "log already compressed (gzip mode keeps those)",
       "logs already compressed (gzip mode keeps those)"},
  };
  std::vector<std::string> parts;
  for (const Line& line : lines) {
    LeftAlone left = tally(line.reason);
    if (left.files == 0) continue;
    std::string part = count_of(left.files, line.singular, line.plural);
    if (line.reason == LeftAloneReason::kYoung && one_max_age) {
      part += " (" + format_duration(config.categories[0].max_age_s) + ")";
    }
    parts.push_back(part + ", " + format_bytes(left.bytes));
  }
  return join(parts, "; ");
}

std::string failures_text(const CleanupRoots& roots, const RunTally& tally) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < tally.failures.size() && i < kFailuresShown; ++i) {
    parts.push_back(path_of(roots, *tally.failures[i].file) + ": " + tally.failures[i].reason);
  }
  std::string text = join(parts, "; ");
  if (tally.failures.size() > kFailuresShown) {
    text += "; and " + format_count(tally.failures.size() - kFailuresShown) + " more";
  }
  return text;
}

std::string walk_text(const WalkStats& walk) {
  std::vector<std::string> parts;
  if (walk.symlinks_skipped) {
    parts.push_back(count_of(walk.symlinks_skipped, "symlink", "symlinks") + " not followed");
  }
  if (walk.mount_points_skipped) {
    parts.push_back(count_of(walk.mount_points_skipped, "directory", "directories") +
                    " on another filesystem not entered");
  }
  if (walk.unreadable_directories) {
    parts.push_back(count_of(walk.unreadable_directories, "directory", "directories") +
                    " could not be read");
  }
  if (walk.too_deep) {
    parts.push_back(count_of(walk.too_deep, "directory", "directories") + " deeper than " +
                    std::to_string(kMaxWalkDepth) + " levels not entered");
  }
  return join(parts, "; ");
}

std::string target_text(const CleanupConfig& config) {
  return std::to_string(static_cast<int>(config.target_percent)) + "%";
}

// "deleted 3 files and compressed 1"
std::string counts_text(const RunTally& tally, bool dry_run) {
  std::vector<std::string> parts;
  if (tally.deleted()) {
    parts.push_back(std::string(verb(StepAction::kDelete, dry_run)) + " " +
                    count_of(tally.deleted(), "file", "files"));
  }
  if (tally.compressed()) {
    if (parts.empty()) {
      parts.push_back(std::string(verb(StepAction::kGzip, dry_run)) + " " +
                      count_of(tally.compressed(), "file", "files"));
    } else {  // "deleted 3 files and compressed 1"
      parts.push_back(std::string(dry_run ? "compress " : "compressed ") +
                      format_count(tally.compressed()));
    }
  }
  return join(parts, " and ");
}

// Usage in use outside the roots: the part no cleanup here can touch.
int64_t bytes_outside_roots(const RunFacts& facts) {
  int64_t under_roots = facts.scan.bytes_under_roots - facts.tally.bytes();
  int64_t outside = static_cast<int64_t>(facts.tally.usage_after.used_bytes) - under_roots;
  return std::max<int64_t>(0, outside);
}

}  // namespace

std::string skipped_roots_text(const CleanupRoots& roots) {
  std::vector<std::string> parts;
  for (const SkippedRoot& skipped : roots.skipped) parts.push_back(skipped.reason);
  return join(parts, "; ");
}

void report_roots(tend::sdk::Context& ctx, const CleanupConfig& config, const CleanupRoots& roots) {
  if (!roots.skipped.empty()) ctx.output("skipped_roots", skipped_roots_text(roots));
  for (Category category : config.unconfigured) {
    std::string name(category_name(category));
    ctx.output(name, "no roots configured on this node ([plugin.disk-cleanup] " + name +
                         " in agent.toml)");
  }
}

void report_run(tend::sdk::Context& ctx, const RunFacts& facts) {
  const RunTally& tally = facts.tally;
  for (const CategoryConfig& wanted : facts.config.categories) {
    ctx.output(std::string(category_name(wanted.category)),
               category_text(facts.roots, tally.of(wanted.category), facts.dry_run));
  }
  std::vector<std::string> largest;
  for (const Touched& touched : tally.largest(kLargestShown)) {
    largest.push_back(path_of(facts.roots, *touched.file) + " (" +
                      format_bytes(touched.file->allocated) + ", " +
                      verb(touched.action, facts.dry_run) + ")");
  }
  if (!largest.empty()) ctx.output("largest", join(largest, "; "));
  if (std::string left = left_alone_text(facts.config, facts.scan); !left.empty()) {
    ctx.output("left_alone", left);
  }
  if (!tally.failures.empty()) ctx.output("failed", failures_text(facts.roots, tally));
  if (std::string walk = walk_text(facts.scan.walk); !walk.empty()) ctx.output("not_walked", walk);

  ctx.output("target_usage", target_text(facts.config));
  ctx.output("usage_before", format_percent(facts.before.percent()));
  ctx.figure("usage_before", facts.before.percent());
  if (facts.dry_run) {
    ctx.output("usage_expected_after", format_percent(tally.usage_after.percent()));
    ctx.output("bytes_would_reclaim", tally.bytes());
    ctx.figure("usage_expected_after", tally.usage_after.percent());
    ctx.figure("bytes_reclaimable", static_cast<double>(tally.bytes()));
    return;
  }
  ctx.output("usage_after", format_percent(tally.usage_after.percent()));
  ctx.output("bytes_reclaimed", tally.bytes());
  ctx.figure("usage_after", tally.usage_after.percent());
  ctx.figure("bytes_reclaimed", static_cast<double>(tally.bytes()));
  for (Category category : kCategoryOrder) {
    ctx.figure("bytes_reclaimed_" + std::string(category_name(category)),
               static_cast<double>(tally.of(category).bytes));
  }
  ctx.figure("files_removed", static_cast<double>(tally.deleted()));
  ctx.figure("files_compressed", static_cast<double>(tally.compressed()));
}

std::string run_summary(const RunFacts& facts) {
  const RunTally& tally = facts.tally;
  std::string usage = facts.config.path + " usage " + format_percent(facts.before.percent()) +
                      " -> " + (facts.dry_run ? "about " : "") +
                      format_percent(tally.usage_after.percent()) + " (target " +
                      target_text(facts.config) + ")";
  if (tally.deleted() + tally.compressed() == 0) {
    if (tally.stop == StopReason::kBelowTarget) {
      return facts.config.path + " usage " + format_percent(tally.usage_after.percent()) +
             " is already below the " + target_text(facts.config) + " target; nothing cleaned";
    }
    return (facts.dry_run ? "dry run: nothing may be cleaned; " : "nothing cleaned; ") + usage;
  }
  std::string line = facts.dry_run ? "dry run: " + counts_text(tally, true) + ", about " +
                                         format_bytes(tally.bytes()) + "; " + usage
                                   : counts_text(tally, false) + ", " +
                                         format_bytes(tally.bytes()) + " reclaimed; " + usage;
  if (facts.dry_run && tally.stop != StopReason::kBelowTarget) {
    line += tally.stop == StopReason::kFileLimit ? "; max_files would stop it above the target"
                                                 : "; not enough to get below the target";
  }
  return line;
}

std::string shortfall_text(const RunFacts& facts) {
  const RunTally& tally = facts.tally;
  const CleanupConfig& config = facts.config;
  std::string now = config.path + " usage is still " + format_percent(tally.usage_after.percent()) +
                    " (target " + target_text(config) + ") after reclaiming " +
                    format_bytes(tally.bytes()) + " from " +
                    count_of(tally.deleted() + tally.compressed(), "file", "files");
  std::string text;
  switch (tally.stop) {
    case StopReason::kCancelled:
      return "cancelled: " + now;
    case StopReason::kFileLimit:
      return now + ": stopped at this node's limit of " +
             count_of(static_cast<uint64_t>(config.max_files), "file", "files") +
             " per run ([plugin.disk-cleanup] max_files): run it again or raise the limit";
    case StopReason::kBelowTarget:
    case StopReason::kExhausted:
      break;
  }
  text = now + ": nothing more may be cleaned under the configured roots";
  if (std::string left = left_alone_text(config, facts.scan); !left.empty()) {
    text += ". Left alone there: " + left;
  }
  if (!tally.failures.empty()) {
    text += ". Could not clean " + count_of(tally.failures.size(), "file", "files") +
            " (see output failed)";
  }
  text +=
      ". " + format_bytes(bytes_outside_roots(facts)) + " in use lies outside the cleanup roots";
  return text;
}

}  // namespace tend::disk_cleanup
