// What one run of disk-cleanup may do, from the operator's settings
// ([plugin.disk-cleanup] in agent.toml: where, which files, how many) and the
// task's params (which filesystem, how far down, how old).
//
// The settings are what keep the plugin safe: a task can narrow them (fewer
// categories, older files only) but never widen them — it cannot name a
// directory, a pattern, or an age below the operator's floor.
#pragma once

#include <cstdint>
#include <string>
#include <tend/expected.hpp>
#include <tend/plugin.hpp>
#include <vector>

#include "plugins/disk-cleanup/category.h"

namespace tend::disk_cleanup {

// What happens to an old log file. Temp files and backups are always deleted.
enum class LogAction { kDelete, kGzip };

struct CategoryConfig {
  Category category;
  std::vector<std::string> roots;     // absolute directories (setting)
  std::vector<std::string> patterns;  // fnmatch(3) globs on the file name (setting)
  int64_t max_age_s = 0;              // only files last modified longer ago (param)
};

struct CleanupConfig {
  std::string path;                        // whose filesystem usage is measured
  double target_percent = 80;              // stop once usage is below this
  std::vector<CategoryConfig> categories;  // the ones the task asked for, in kCategoryOrder
  std::vector<Category> unconfigured;      // asked for, but the node has no roots for them
  LogAction log_action = LogAction::kDelete;
  uint64_t min_size = 0;  // smaller files are not worth touching
  int64_t max_files = 0;  // files one run tries to delete or compress, at most
  bool skip_open_files = true;
};

// Defaults when the operator gives no <category>_patterns.
std::vector<std::string> default_patterns(Category category);

// "90s", "5m", "2h", "7d", "1w" or plain seconds; false when it is not one.
bool parse_duration(const std::string& text, int64_t& seconds);

// Why `root` cannot be a cleanup root, or "" when it can.
std::string check_root(const std::string& root);

// Reads and checks everything diagnose and remediate need. The error names
// the setting or param to change.
Expected<CleanupConfig> read_cleanup_config(const tend::sdk::Context& ctx);

// Only what verify needs: the path and the target, which need no settings.
struct UsageTarget {
  std::string path;
  double target_percent;
};
UsageTarget read_usage_target(const tend::sdk::Context& ctx);

}  // namespace tend::disk_cleanup
