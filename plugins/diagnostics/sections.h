// Each section of the diagnostics report: gathers its facts, puts them in
// the Result (outputs and figures), and returns its phrase for the summary
// line. A section that cannot read its source says so in an output
// (<section>_error) and its phrase; it does not fail the task, so that one
// unreadable source never hides the others.
#pragma once

#include <string>
#include <tend/plugin.hpp>

#include "plugins/diagnostics/diagnostics_request.h"

namespace tend::plugins::diagnostics {

// Both disk and inodes come from one statvfs per filesystem.
std::string report_filesystems(sdk::Context& ctx, bool disk, bool inodes);
std::string report_memory(sdk::Context& ctx);
std::string report_load(sdk::Context& ctx);
// Takes two samples kCpuSampleInterval apart; stops early when cancelled.
std::string report_processes(sdk::Context& ctx, size_t top);
std::string report_units(sdk::Context& ctx);
std::string report_log(sdk::Context& ctx, const DiagnosticsRequest& request);

}  // namespace tend::plugins::diagnostics
