// What disk-cleanup tells the engineer: the summary line, the outputs per
// category, the figures the agent's metrics read, and — when cleaning was
// not enough — what was left and where to look next.
#pragma once

#include <string>
#include <tend/plugin.hpp>

#include "plugins/disk-cleanup/candidate_scan.h"
#include "plugins/disk-cleanup/cleanup_config.h"
#include "plugins/disk-cleanup/cleanup_run.h"
#include "plugins/disk-cleanup/disk_usage.h"

namespace tend::disk_cleanup {

// Outputs `skipped_roots` (and which asked-for categories have none here).
void report_roots(tend::sdk::Context& ctx, const CleanupConfig& config, const CleanupRoots& roots);

// "/data/tmp is on another filesystem ...; /x does not exist".
std::string skipped_roots_text(const CleanupRoots& roots);

// Everything known once a run (real or dry) is over.
struct RunFacts {
  const CleanupConfig& config;
  const CleanupRoots& roots;
  const ScanReport& scan;
  const RunTally& tally;
  DiskUsage before;
  bool dry_run;
};

// Outputs per category, `largest`, `left_alone`, `failed`, usage after (or
// expected after), and figures; a dry run words them as what would happen
// and reports no bytes_reclaimed.
void report_run(tend::sdk::Context& ctx, const RunFacts& facts);

// The one line for the result.
std::string run_summary(const RunFacts& facts);

// Why a run that stopped at or above the target failed, and what remains to
// look at: the files left alone under the roots and the usage outside them.
std::string shortfall_text(const RunFacts& facts);

}  // namespace tend::disk_cleanup
