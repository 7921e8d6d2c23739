#include "plugins/package-update/update_request.h"

#include <re2/re2.h>

#include "plugins/package-update/reboot_flag.h"

namespace tend::package_update {
namespace {

constexpr const char* kSection = "[plugin.package-update]";

bool absolute_path(const tend::sdk::Context& ctx, const std::string& key,
                   const std::string& fallback, std::string& value, std::string& error) {
  value = ctx.setting(key, fallback);
  if (value.empty() || value.front() == '/') return true;
  error = "setting " + key + " in " + kSection + " must be an absolute path, got '" + value + "'";
  return false;
}

}  // namespace

bool read_update_request(const tend::sdk::Context& ctx, UpdateRequest& request,
                         std::string& error) {
  if (!absolute_path(ctx, "apt_get", "/usr/bin/apt-get", request.apt.apt_get, error) ||
      !absolute_path(ctx, "apt_config", "", request.apt.apt_config, error) ||
      !absolute_path(ctx, "reboot_required_file", kDefaultRebootFile, request.reboot_file, error)) {
    return false;
  }
  if (request.apt.apt_get.empty() || request.reboot_file.empty()) {
    error = std::string("settings apt_get and reboot_required_file in ") + kSection +
            " must not be empty";
    return false;
  }
  // apt's option names: Dir::Etc::SourceParts, Acquire::http::Proxy::host...
  static const RE2 option(R"([A-Za-z0-9][A-Za-z0-9:_.@/+-]*=.*)");
  for (const auto& item : ctx.setting_list("extra_options")) {
    if (!RE2::FullMatch(item, option)) {
      error = std::string("each item of extra_options in ") + kSection +
              " is Key=Value (passed to apt-get as -o Key=Value), got '" + item + "'";
      return false;
    }
    request.apt.options.push_back(item);
  }
  request.rules.exclude = ctx.setting_list("exclude");

  request.rules.security_only = ctx.param_bool("security_only", false);
  request.rules.packages = ctx.param_list("packages");
  for (const auto& name : request.rules.packages) {
    if (!valid_package_name(name)) {
      error = "'" + name + "' in packages is not a Debian package name";
      return false;
    }
  }
  request.update = ctx.param_bool("update", true);
  request.autoremove = ctx.param_bool("autoremove", false);
  request.timeout = std::chrono::seconds(ctx.param_int("timeout", 600));
  if (request.timeout.count() <= 0) {
    error = "timeout must be more than 0 s";
    return false;
  }
  return true;
}

}  // namespace tend::package_update
