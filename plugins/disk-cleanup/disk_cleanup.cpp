// disk-cleanup: frees space on a filesystem the way an on-call engineer
// would — old logs first, then old temp files, then old backups, the largest
// first, only under the directories the operator configured, never following
// a symlink out of them — and stops as soon as usage is below the target.
//
// The hooks here only sequence the work; the rules live beside them:
// cleanup_config (what may be touched), candidate_scan and safe_walk (what is
// there), cleanup_run (the order and the stop rule), file_actions (deleting
// and compressing one file), cleanup_report (what the engineer reads).
#include <chrono>
#include <ctime>
#include <iterator>
#include <string>
#include <tend/plugin.hpp>

#include "plugins/disk-cleanup/candidate_scan.h"
#include "plugins/disk-cleanup/cleanup_config.h"
#include "plugins/disk-cleanup/cleanup_report.h"
#include "plugins/disk-cleanup/cleanup_run.h"
#include "plugins/disk-cleanup/disk_usage.h"
#include "plugins/disk-cleanup/open_files.h"
#include "plugins/disk-cleanup/report_text.h"

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;
namespace dc = tend::disk_cleanup;

constexpr tend_param_spec kParams[] = {
    {.name = "path",
     .type = TEND_PARAM_STRING,
     .default_value = "/",
     .pattern = "^/.*",
     .help = "a directory on the filesystem to clean (its mount point, e.g. /var); its usage "
             "is what counts"},
    {.name = "target_usage",
     .type = TEND_PARAM_INTEGER,
     .default_value = "80",
     .pattern = "^[1-9][0-9]?$",
     .help = "stop once usage is below this percent (1-99)"},
    {.name = "max_age",
     .type = TEND_PARAM_DURATION,
     .default_value = "7d",
     .help = "only files last modified longer ago than this"},
    {.name = "max_age_logs", .type = TEND_PARAM_DURATION, .help = "max_age for logs only"},
    {.name = "max_age_temp", .type = TEND_PARAM_DURATION, .help = "max_age for temp files only"},
    {.name = "max_age_backups", .type = TEND_PARAM_DURATION, .help = "max_age for backups only"},
    {.name = "categories",
     .type = TEND_PARAM_LIST,
     .default_value = "logs,temp,backups",
     .allowed_values = "logs,temp,backups",
     .help = "which kinds of files; always taken in the order logs, temp, backups"},
    {.name = "action",
     .type = TEND_PARAM_STRING,
     .default_value = "delete",
     .allowed_values = "delete,gzip",
     .help = "what happens to old logs (temp files and backups are always deleted)"},
    {.name = "min_size",
     .type = TEND_PARAM_SIZE,
     .default_value = "0",
     .help = "leave files smaller than this alone"},
};

// What both diagnose and remediate establish before looking at any file.
struct Ground {
  dc::CleanupConfig config;
  dc::DiskUsage before;
  dc::CleanupRoots roots;
};

// Reads the config and the usage and opens the roots; reports what it found.
// kNothingToDo when usage is already below the target.
Outcome prepare(Context& ctx, Ground& ground) {
  tend::Expected<dc::CleanupConfig> config = dc::read_cleanup_config(ctx);
  if (!config) {
    ctx.error(config.error().message);
    return Outcome::kFailed;
  }
  ground.config = std::move(*config);
  const std::string& path = ground.config.path;
  tend::Expected<dc::DiskUsage> usage = dc::read_disk_usage(path);
  if (!usage) {
    ctx.error(usage.error().message);
    return Outcome::kFailed;
  }
  ground.before = *usage;
  ctx.output("usage_before", dc::format_percent(usage->percent()));
  if (usage->percent() < ground.config.target_percent) {
    ctx.summary("{} usage {} is already below the {}% target; nothing to clean", path,
                dc::format_percent(usage->percent()),
                static_cast<int>(ground.config.target_percent));
    return Outcome::kNothingToDo;
  }
  tend::Expected<dev_t> device = dc::filesystem_device(path);
  if (!device) {
    ctx.error(device.error().message);
    return Outcome::kFailed;
  }
  ground.roots = dc::open_cleanup_roots(ground.config, *device);
  dc::report_roots(ctx, ground.config, ground.roots);
  if (ground.roots.usable.empty()) {
    ctx.error("none of the configured roots can lower the usage of {}: {}", path,
              dc::skipped_roots_text(ground.roots));
    return Outcome::kFailed;
  }
  return Outcome::kOk;
}

class DiskCleanup : public tend::sdk::Plugin {
 public:
  // Nothing to do below the target; a dry run scans and reports exactly what
  // the real run would start with, and changes nothing.
  Outcome diagnose(Context& ctx) override {
    Ground ground;
    if (Outcome ready = prepare(ctx, ground); ready != Outcome::kOk) return ready;
    if (!ctx.dry_run()) return Outcome::kOk;

    auto cancelled = [&ctx] { return ctx.cancelled(); };
    dc::ScanReport scan = scan_files(ctx, ground);
    if (scan.cancelled) {
      ctx.error("cancelled while looking for files");
      return Outcome::kFailed;
    }
    std::vector<dc::Step> steps = dc::order_steps(scan.candidates, ground.config.log_action);
    dc::DryExecutor dry(ground.before);
    dc::RunTally tally =
        dc::run_steps(steps, ground.config.target_percent, ground.config.max_files, dry, cancelled);
    if (tally.stop == dc::StopReason::kCancelled) {
      ctx.error("cancelled while working out what to clean");
      return Outcome::kFailed;
    }
    dc::RunFacts facts{ground.config, ground.roots, scan, tally, ground.before, true};
    dc::report_run(ctx, facts);
    ctx.summary(dc::run_summary(facts));
    return Outcome::kOk;
  }

  Outcome remediate(Context& ctx) override {
    const auto started = std::chrono::steady_clock::now();
    Ground ground;
    if (Outcome ready = prepare(ctx, ground); ready != Outcome::kOk) {
      return ready == Outcome::kNothingToDo ? Outcome::kOk : ready;
    }
    auto cancelled = [&ctx] { return ctx.cancelled(); };
    dc::ScanReport scan = scan_files(ctx, ground);
    if (scan.cancelled) {
      ctx.error("cancelled while looking for files; nothing was changed");
      return Outcome::kFailed;
    }
    std::vector<dc::Step> steps = dc::order_steps(scan.candidates, ground.config.log_action);
    dc::RealExecutor real(ground.roots, ground.config.path, ground.before, cancelled);
    dc::RunTally tally = dc::run_steps(steps, ground.config.target_percent, ground.config.max_files,
                                       real, cancelled);

    dc::RunFacts facts{ground.config, ground.roots, scan, tally, ground.before, false};
    dc::report_run(ctx, facts);
    ctx.figure("duration_s",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    ctx.summary(dc::run_summary(facts));
    if (tally.stop == dc::StopReason::kBelowTarget) return Outcome::kOk;
    ctx.error(dc::shortfall_text(facts));
    return Outcome::kFailed;
  }

  // Measures again, independently of what remediate counted: a writer that
  // refilled the disk meanwhile fails the task.
  Outcome verify(Context& ctx) override {
    dc::UsageTarget target = dc::read_usage_target(ctx);
    tend::Expected<dc::DiskUsage> usage = dc::read_disk_usage(target.path);
    if (!usage) {
      ctx.error(usage.error().message);
      return Outcome::kFailed;
    }
    ctx.output("usage_verified", dc::format_percent(usage->percent()));
    if (usage->percent() >= target.target_percent) {
      ctx.error(
          "{} usage is {}, not below the {}% target: something is writing faster than "
          "the cleanup freed, or the space is held by deleted files still open",
          target.path, dc::format_percent(usage->percent()),
          static_cast<int>(target.target_percent));
      return Outcome::kFailed;
    }
    return Outcome::kOk;
  }

 private:
  static dc::ScanReport scan_files(Context& ctx, const Ground& ground) {
    dc::OpenFiles open =
        ground.config.skip_open_files ? dc::OpenFiles::snapshot() : dc::OpenFiles();
    return dc::scan_for_candidates(ground.config, ground.roots, open, std::time(nullptr),
                                   [&ctx] { return ctx.cancelled(); });
  }
};

}  // namespace

TEND_REGISTER_PLUGIN(DiskCleanup,
                     {.name = "disk-cleanup",
                      .version = TEND_VERSION,
                      .description = "frees disk space: old logs, then temp files, then backups, "
                                     "under configured roots, until usage is below a target",
                      .risk = TEND_RISK_MEDIUM,
                      .supports = TEND_SUPPORTS_DRY_RUN,
                      .params = kParams,
                      .param_count = std::size(kParams)});
