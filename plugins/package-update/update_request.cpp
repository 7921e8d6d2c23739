#include "plugins/package-update/update_request.h"

#include <re2/re2.h>

#include "plugins/package-update/reboot_flag.h"

namespace tend::package_update {
namespace {

constexpr const char* kSection = "[plugin.package-update]";

// The setting `key` (or `fallback`): empty, or an absolute path.
Expected<std::string> absolute_path(const tend::sdk::Context& ctx, const std::string& key,
                                    const std::string& fallback) {
  std::string value = ctx.setting(key, fallback);
  if (value.empty() || value.front() == '/') return value;
  return make_error("setting " + key + " in " + kSection + " must be an absolute path, got '" +
                    value + "'");
}

}  // namespace

Expected<UpdateRequest> read_update_request(const tend::sdk::Context& ctx) {
  UpdateRequest request;
  auto apt_get = absolute_path(ctx, "apt_get", "/usr/bin/apt-get");
  if (!apt_get) return apt_get.error();
  auto apt_config = absolute_path(ctx, "apt_config", "");
  if (!apt_config) return apt_config.error();
  auto reboot_file = absolute_path(ctx, "reboot_required_file", kDefaultRebootFile);
  if (!reboot_file) return reboot_file.error();
  request.apt.apt_get = std::move(*apt_get);
  request.apt.apt_config = std::move(*apt_config);
  request.reboot_file = std::move(*reboot_file);
  if (request.apt.apt_get.empty() || request.reboot_file.empty()) {
    return make_error(std::string("settings apt_get and reboot_required_file in ") + kSection +
                      " must not be empty");
  }
  // apt's option names: Dir::Etc::SourceParts, Acquire::http::Proxy::host...
  static const RE2 option(R"([A-Za-z0-9][A-Za-z0-9:_.@/+-]*=.*)");
  for (const auto& item : ctx.setting_list("extra_options")) {
    if (!RE2::FullMatch(item, option)) {
      return make_error(std::string("each item of extra_options in ") + kSection +
                        " is Key=Value (passed to apt-get as -o Key=Value), got '" + item + "'");
    }
    request.apt.options.push_back(item);
  }
  request.rules.exclude = ctx.setting_list("exclude");

  request.rules.security_only = ctx.param_bool("security_only", false);
  request.rules.packages = ctx.param_list("packages");
  for (const auto& name : request.rules.packages) {
    if (!valid_package_name(name)) {
      return make_error("'" + name + "' in packages is not a Debian package name");
    }
  }
  request.update = ctx.param_bool("update", true);
  request.autoremove = ctx.param_bool("autoremove", false);
  request.timeout = std::chrono::seconds(ctx.param_int("timeout", 600));
  if (request.timeout.count() <= 0) return make_error("timeout must be more than 0 s");
  return request;
}

}  // namespace tend::package_update
