// The on-call flow as one loop, shared by the dry run and the real run so
// that a dry run reports exactly the files a real run would start with:
//
//   logs, then temp, then backups; within each, the largest file first;
//   before each file: stop if usage is below the target, if the task was
//   cancelled, or if max_files were tried already (done or not).
//
// What "doing" a file means and how usage is read is the Executor's: the real
// one acts and asks statvfs again; the dry one only adds up.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plugins/disk-cleanup/candidate_scan.h"
#include "plugins/disk-cleanup/cleanup_config.h"
#include "plugins/disk-cleanup/disk_usage.h"
#include "plugins/disk-cleanup/file_actions.h"

namespace tend::disk_cleanup {

enum class StepAction { kDelete, kGzip };

struct Step {
  const Candidate* file;
  StepAction action;
};

// The candidates in the order they are taken. Logs are compressed in gzip
// mode, everything else is deleted.
std::vector<Step> order_steps(const std::vector<Candidate>& candidates, LogAction log_action);

class Executor {
 public:
  virtual ~Executor() = default;
  virtual ActionOutcome apply(const Step& step) = 0;
  virtual DiskUsage usage() = 0;
};

// A file the run touched (or would touch), for the report.
struct Touched {
  const Candidate* file;
  StepAction action;
  int64_t reclaimed;
};

struct CategoryTally {
  uint64_t deleted = 0;
  uint64_t compressed = 0;
  int64_t bytes = 0;
  std::vector<Touched> files;  // in the order they were done
};

struct Failure {
  const Candidate* file;
  std::string reason;
};

enum class StopReason { kBelowTarget, kExhausted, kFileLimit, kCancelled };

struct RunTally {
  std::array<CategoryTally, kCategoryOrder.size()> by_category{};
  std::vector<Failure> failures;  // files that could not be done, and why
  StopReason stop = StopReason::kExhausted;
  DiskUsage usage_after;

  CategoryTally& of(Category category) { return by_category[static_cast<size_t>(category)]; }
  const CategoryTally& of(Category category) const {
    return by_category[static_cast<size_t>(category)];
  }
  int64_t bytes() const;
  uint64_t deleted() const;
  uint64_t compressed() const;
  std::vector<Touched> largest(size_t count) const;
};

RunTally run_steps(const std::vector<Step>& steps, double target_percent, int64_t max_files,
                   Executor& executor, const std::function<bool()>& cancelled);

// Acts on the files and reads usage from the filesystem after each one.
class RealExecutor : public Executor {
 public:
  // `before`: the usage just measured, the starting point should statvfs
  // ever fail during the run.
  RealExecutor(const CleanupRoots& roots, std::string path, DiskUsage before,
               std::function<bool()> cancelled);
  ActionOutcome apply(const Step& step) override;
  DiskUsage usage() override;

 private:
  const CleanupRoots& roots_;
  std::string path_;
  DiskUsage last_;
  std::function<bool()> cancelled_;
};

// Changes nothing: deleting frees a file's allocated size, and gzip is
// assumed to free 90% of it (text logs typically compress ten to one).
class DryExecutor : public Executor {
 public:
  explicit DryExecutor(DiskUsage before) : before_(before) {}
  ActionOutcome apply(const Step& step) override;
  DiskUsage usage() override { return before_.after_freeing(freed_); }

 private:
  DiskUsage before_;
  int64_t freed_ = 0;
};

}  // namespace tend::disk_cleanup
