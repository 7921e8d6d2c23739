#include "plugins/disk-cleanup/cleanup_run.h"

#include <algorithm>
#include <utility>

namespace tend::disk_cleanup {

std::vector<Step> order_steps(const std::vector<Candidate>& candidates, LogAction log_action) {
  std::vector<Step> steps;
  steps.reserve(candidates.size());
  for (const Candidate& file : candidates) {
    bool gzip = file.category == Category::kLogs && log_action == LogAction::kGzip;
    steps.push_back({&file, gzip ? StepAction::kGzip : StepAction::kDelete});
  }
  std::sort(steps.begin(), steps.end(),
            [](const Step& a, const Step& b) { return taken_before(*a.file, *b.file); });
  return steps;
}

int64_t RunTally::bytes() const {
  int64_t total = 0;
  for (const CategoryTally& tally : by_category) total += tally.bytes;
  return total;
}

uint64_t RunTally::deleted() const {
  uint64_t total = 0;
  for (const CategoryTally& tally : by_category) total += tally.deleted;
  return total;
}

uint64_t RunTally::compressed() const {
  uint64_t total = 0;
  for (const CategoryTally& tally : by_category) total += tally.compressed;
  return total;
}

std::vector<Touched> RunTally::largest(size_t count) const {
  std::vector<Touched> all;
  for (const CategoryTally& tally : by_category) {
    all.insert(all.end(), tally.files.begin(), tally.files.end());
  }
  std::stable_sort(all.begin(), all.end(), [](const Touched& a, const Touched& b) {
    return a.file->allocated > b.file->allocated;
  });
  if (all.size() > count) all.resize(count);
  return all;
}

RunTally run_steps(const std::vector<Step>& steps, double target_percent, int64_t max_files,
                   Executor& executor, const std::function<bool()>& cancelled) {
  RunTally tally;
  tally.usage_after = executor.usage();
  int64_t touched = 0;
  for (const Step& step : steps) {
    if (tally.usage_after.percent() < target_percent) {
      tally.stop = StopReason::kBelowTarget;
      return tally;
    }
    if (cancelled && cancelled()) {
      tally.stop = StopReason::kCancelled;
      return tally;
    }
    if (touched >= max_files) {
      tally.stop = StopReason::kFileLimit;
      return tally;
    }
    // Counted whether or not it worked, so that max_files bounds the work
    // (and the scan may keep only the first max_files candidates).
    ++touched;
    ActionOutcome outcome = executor.apply(step);
    if (outcome.done) {
      CategoryTally& category = tally.of(step.file->category);
      (step.action == StepAction::kGzip ? category.compressed : category.deleted) += 1;
      category.bytes += outcome.reclaimed;
      category.files.push_back({step.file, step.action, outcome.reclaimed});
    } else {
      tally.failures.push_back({step.file, outcome.reason});
    }
    tally.usage_after = executor.usage();
  }
  if (tally.usage_after.percent() < target_percent) {
    tally.stop = StopReason::kBelowTarget;
  } else {
    // The scan keeps only max_files candidates, so having used them all up
    // means the limit stopped the run, not a lack of files.
    tally.stop = touched >= max_files ? StopReason::kFileLimit : StopReason::kExhausted;
  }
  return tally;
}

RealExecutor::RealExecutor(const CleanupRoots& roots, std::string path, DiskUsage before,
                           std::function<bool()> cancelled)
    : roots_(roots), path_(std::move(path)), last_(before), cancelled_(std::move(cancelled)) {}

ActionOutcome RealExecutor::apply(const Step& step) {
  const CleanupRoot& root = roots_.usable[step.file->root];
  ActionOutcome outcome = step.action == StepAction::kGzip
                              ? gzip_candidate(root, *step.file, cancelled_)
                              : delete_candidate(root, *step.file);
  if (outcome.done) last_ = last_.after_freeing(outcome.reclaimed);
  return outcome;
}

DiskUsage RealExecutor::usage() {
  // statvfs does not fail on a filesystem it has just measured; should it,
  // the file-by-file count kept in apply() is the next best figure.
  if (Expected<DiskUsage> measured = read_disk_usage(path_)) last_ = *measured;
  return last_;
}

ActionOutcome DryExecutor::apply(const Step& step) {
  int64_t allocated = step.file->allocated;
  int64_t freed = step.action == StepAction::kGzip ? allocated - allocated / 10 : allocated;
  freed_ += freed;
  return {.done = true, .reclaimed = freed};
}

}  // namespace tend::disk_cleanup
