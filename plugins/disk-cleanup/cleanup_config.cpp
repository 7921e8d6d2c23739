#include "plugins/disk-cleanup/cleanup_config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

#include "plugins/disk-cleanup/report_text.h"

namespace tend::disk_cleanup {
namespace {

using tend::sdk::Context;

constexpr int64_t kDefaultMaxFiles = 10000;
// The youngest a file may be and still be touched, whatever a task asks:
// younger than this, a temp file may well be in use.
constexpr const char* kDefaultMinAge = "1h";

const char* example_roots(Category category) {
  switch (category) {
    case Category::kLogs:
      return "[\"/var/log\"]";
    case Category::kTemp:
      return "[\"/tmp\", \"/var/tmp\"]";
    case Category::kBackups:
      return "[\"/var/backups\"]";
  }
  return "[]";
}

std::string key_for(Category category, const std::string& suffix) {
  return std::string(category_name(category)) + suffix;
}

std::string no_roots_message(const std::vector<Category>& asked) {
  std::string settings;
  for (size_t i = 0; i < asked.size(); ++i) {
    if (i > 0) settings += i + 1 == asked.size() ? " and/or " : ", ";
    settings += std::string(category_name(asked[i])) + " = " + example_roots(asked[i]);
  }
  return "no directories are configured for cleaning on this node: set [plugin.disk-cleanup] " +
         settings + " in agent.toml";
}

}  // namespace

std::vector<std::string> default_patterns(Category category) {
  switch (category) {
    case Category::kLogs:
      // Live and rotated logs (app.log, app.log.1, app.log.2.gz, syslog.1,
      // messages-20240101.gz) and anything compressed beside them.
      return {"*.log", "*.log.*", "*.[0-9]", "*.[0-9].gz", "*.gz",
              "*.xz",  "*.bz2",   "*.zst",   "*.old"};
    case Category::kTemp:
      return {"*"};
    case Category::kBackups:
      return {"*.bak", "*.backup", "*.old", "*.tar",   "*.tar.*",
              "*.tgz", "*.dump",   "*.sql", "*.sql.*", "*.zip"};
  }
  return {};
}

bool parse_duration(const std::string& text, int64_t& seconds) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0) return false;
  std::string unit(end);
  int64_t scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60;
  } else if (unit == "h") {
    scale = 3600;
  } else if (unit == "d") {
    scale = 86400;
  } else if (unit == "w") {
    scale = 7 * 86400;
  } else {
    return false;
  }
  seconds = value * scale;
  return true;
}

std::string check_root(const std::string& root) {
  if (root.empty() || root[0] != '/') return "'" + root + "' is not an absolute path";
  if (root.find_first_not_of('/') == std::string::npos) {
    return "'/' would let disk-cleanup touch any file on the filesystem; name the directories";
  }
  size_t start = 0;
  while (start < root.size()) {
    size_t end = root.find('/', start);
    if (end == std::string::npos) end = root.size();
    std::string component = root.substr(start, end - start);
    if (component == "." || component == "..") {
      return "'" + root + "' contains '" + component + "': give the plain path";
    }
    start = end + 1;
  }
  return "";
}

UsageTarget read_usage_target(const Context& ctx) {
  return {ctx.param_string("path", "/"), static_cast<double>(ctx.param_int("target_usage", 80))};
}

namespace {

Expected<CleanupConfig> read_config_or_throw(const Context& ctx) {
  CleanupConfig config;
  UsageTarget target = read_usage_target(ctx);
  config.path = target.path;
  config.target_percent = target.target_percent;
  config.min_size = static_cast<uint64_t>(std::max<int64_t>(0, ctx.param_int("min_size", 0)));

  // Which categories, always in the on-call order whatever order the task gave.
  std::vector<std::string> asked_names = ctx.param_list("categories");
  std::vector<Category> asked;
  for (Category category : kCategoryOrder) {
    if (std::find(asked_names.begin(), asked_names.end(), category_name(category)) !=
        asked_names.end()) {
      asked.push_back(category);
    }
  }
  if (asked.empty())
    return make_error("categories is empty: give one or more of logs, temp, backups");

  std::string action = ctx.param_string("action", "delete");
  config.log_action = action == "gzip" ? LogAction::kGzip : LogAction::kDelete;
  if (config.log_action == LogAction::kGzip && !ctx.setting_bool("gzip", true)) {
    return make_error(
        "action=gzip is not allowed on this node ([plugin.disk-cleanup] gzip = false in "
        "agent.toml): use action=delete");
  }

  config.max_files = ctx.setting_int("max_files", kDefaultMaxFiles);
  if (config.max_files < 1) {
    return make_error("setting 'max_files' must be at least 1, got " +
                      std::to_string(config.max_files) + " (agent.toml)");
  }
  config.skip_open_files = ctx.setting_bool("skip_open_files", true);

  std::string min_age_text = ctx.setting("min_age", kDefaultMinAge);
  int64_t min_age = 0;
  if (!parse_duration(min_age_text, min_age)) {
    return make_error("setting 'min_age' must be a duration such as \"1h\" or \"2d\", got '" +
                      min_age_text + "' (agent.toml)");
  }

  int64_t max_age = ctx.param_int("max_age", 7 * 86400);
  for (Category category : asked) {
    CategoryConfig wanted{.category = category};
    std::string roots_key(category_name(category));
    for (const std::string& root : ctx.setting_list(roots_key)) {
      if (std::string problem = check_root(root); !problem.empty()) {
        return make_error("setting '" + roots_key + "': " + problem + " (agent.toml)");
      }
      wanted.roots.push_back(root);
    }
    if (wanted.roots.empty()) {  // the operator cleans no such files here
      config.unconfigured.push_back(category);
      continue;
    }

    std::string patterns_key = key_for(category, "_patterns");
    wanted.patterns =
        ctx.has_setting(patterns_key) ? ctx.setting_list(patterns_key) : default_patterns(category);
    if (wanted.patterns.empty()) {
      return make_error("setting '" + patterns_key +
                        "' is empty, so no file would match: remove it to use the defaults "
                        "(agent.toml)");
    }

    std::string age_key = "max_age_" + roots_key;
    wanted.max_age_s = ctx.has_param(age_key) ? ctx.param_int(age_key) : max_age;
    if (wanted.max_age_s < min_age) {
      std::string asked_key = ctx.has_param(age_key) ? age_key : "max_age";
      return make_error(asked_key + "=" + format_duration(wanted.max_age_s) +
                        " is younger than this node allows for " + roots_key + " (" +
                        format_duration(min_age) +
                        ", [plugin.disk-cleanup] min_age in agent.toml): ask for older files");
    }
    config.categories.push_back(std::move(wanted));
  }
  if (config.categories.empty()) return make_error(no_roots_message(asked));
  return config;
}

}  // namespace

Expected<CleanupConfig> read_cleanup_config(const Context& ctx) {
  // The SDK throws for a setting that does not read as the type asked for;
  // its message names the setting, and here it becomes a plain error.
  try {
    return read_config_or_throw(ctx);
  } catch (const std::invalid_argument& e) {
    return make_error(e.what());
  }
}

}  // namespace tend::disk_cleanup
