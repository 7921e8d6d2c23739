// diagnostics: a read-only look at one node — disk and inode use, memory,
// load, the processes using the most memory and CPU, failed systemd units,
// and the latest error lines of an allowed log file — reported as outputs,
// figures and one summary line for whoever is on call.
//
// It changes nothing, so a dry run gathers and reports exactly as a run does.
#include <iterator>
#include <string>
#include <tend/plugin.hpp>
#include <vector>

#include "plugins/diagnostics/diagnostics_request.h"
#include "plugins/diagnostics/log_errors.h"
#include "plugins/diagnostics/sections.h"

namespace {

using tend::sdk::Context;
using tend::sdk::Outcome;
using namespace tend::plugins::diagnostics;

constexpr tend_param_spec kParams[] = {
    {.name = "sections",
     .type = TEND_PARAM_LIST,
     .default_value = "disk,inodes,memory,load,processes,units,log",
     .allowed_values = "disk,inodes,memory,load,processes,units,log",
     .help = "what to report"},
    {.name = "top",
     .type = TEND_PARAM_INTEGER,
     .default_value = "5",
     .help = "how many processes to list by memory and by CPU (1-50)"},
    {.name = "log_file",
     .type = TEND_PARAM_STRING,
     .help = "one of [plugin.diagnostics] log_files (default: the first of them)"},
    {.name = "log_pattern",
     .type = TEND_PARAM_STRING,
     .default_value = "(?i)error|fail|fatal|panic",
     .help = "RE2 regex for error lines; a leading (?i) ignores case"},
    {.name = "log_lines",
     .type = TEND_PARAM_INTEGER,
     .default_value = "20",
     .help = "how many of the latest matching lines to report (1-200)"},
};

std::string joined_phrases(const std::vector<std::string>& phrases) {
  std::string line;
  for (const auto& phrase : phrases) {
    if (!phrase.empty()) line += (line.empty() ? "" : ", ") + phrase;
  }
  return line;
}

Outcome gather(Context& ctx) {
  auto request = make_request({.sections = ctx.param_list("sections"),
                               .top = ctx.param_int("top", 5),
                               .log_file = ctx.param_string("log_file"),
                               .log_pattern = ctx.param_string("log_pattern"),
                               .log_lines = ctx.param_int("log_lines", 20)},
                              ctx.setting_list("log_files"));
  if (!request) {
    ctx.error(request.error().message);
    return Outcome::kFailed;
  }
  std::vector<std::string> phrases;
  bool disk = request->wants("disk"), inodes = request->wants("inodes");
  if (disk || inodes) phrases.push_back(report_filesystems(ctx, disk, inodes));
  if (request->wants("memory")) phrases.push_back(report_memory(ctx));
  if (request->wants("load")) phrases.push_back(report_load(ctx));
  if (request->wants("processes") && !ctx.cancelled()) {
    phrases.push_back(report_processes(ctx, request->top));
  }
  if (request->wants("units") && !ctx.cancelled()) phrases.push_back(report_units(ctx));
  if (request->wants("log") && !ctx.cancelled()) phrases.push_back(report_log(ctx, *request));
  if (ctx.cancelled()) {
    ctx.error("cancelled while gathering; reported what was gathered: {}", joined_phrases(phrases));
    return Outcome::kFailed;
  }
  ctx.summary(joined_phrases(phrases));
  return Outcome::kOk;
}

class Diagnostics : public tend::sdk::Plugin {
 public:
  // A dry run ends after diagnose, and reading is all diagnostics ever does:
  // so a dry run gathers here what a run gathers in remediate.
  Outcome diagnose(Context& ctx) override {
    if (!ctx.dry_run()) return Outcome::kOk;
    ctx.output("dry_run", "diagnostics only reads, so a dry run reports exactly as a run does");
    return gather(ctx);
  }

  Outcome remediate(Context& ctx) override { return gather(ctx); }
};

}  // namespace

TEND_REGISTER_PLUGIN(Diagnostics,
                     {.name = "diagnostics",
                      .version = TEND_VERSION,
                      .description = "reports disk, memory, load, top processes, failed units, "
                                     "log errors; changes nothing",
                      .risk = TEND_RISK_LOW,
                      .supports = TEND_SUPPORTS_DRY_RUN,
                      .params = kParams,
                      .param_count = std::size(kParams)});
