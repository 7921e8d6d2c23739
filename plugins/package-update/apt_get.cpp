#include "plugins/package-update/apt_get.h"

#include <re2/re2.h>

namespace tend::package_update {
namespace {

// Simulations of a big upgrade print two lines per package.
constexpr size_t kOutputLimit = 8 * 1024 * 1024;

// Keep the config files an admin changed; take the new default otherwise.
const std::vector<std::string> kChangeOptions = {"-y", "-o", "Dpkg::Options::=--force-confdef",
                                                 "-o", "Dpkg::Options::=--force-confold"};

// `install --only-upgrade name=version...` after `options`: exactly the
// versions the simulation offered, and nothing not installed yet.
std::vector<std::string> install_args(std::vector<std::string> options,
                                      const std::vector<PackageUpgrade>& targets) {
  options.push_back("install");
  options.push_back("--only-upgrade");
  for (const auto& target : targets) options.push_back(target.name + "=" + target.new_version);
  return options;
}

}  // namespace

plugins::CommandResult AptGet::run(std::vector<std::string> args, std::chrono::seconds timeout,
                                   const Cancelled& cancelled) const {
  plugins::CommandSpec spec;
  spec.argv = {settings_.apt_get, "-q", "-o", "Dpkg::Use-Pty=0"};
  for (const auto& option : settings_.options) {
    spec.argv.push_back("-o");
    spec.argv.push_back(option);
  }
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = {"DEBIAN_FRONTEND=noninteractive", "LC_ALL=C", "APT_LISTCHANGES_FRONTEND=none"};
  if (!settings_.apt_config.empty()) spec.env.push_back("APT_CONFIG=" + settings_.apt_config);
  spec.timeout = timeout;
  spec.output_limit = kOutputLimit;
  return plugins::run_command(spec, cancelled);
}

plugins::CommandResult AptGet::update(std::chrono::seconds timeout,
                                      const Cancelled& cancelled) const {
  return run({"update"}, timeout, cancelled);
}

plugins::CommandResult AptGet::simulate_upgrade(std::chrono::seconds timeout,
                                                const Cancelled& cancelled) const {
  return run({"-s", "upgrade"}, timeout, cancelled);
}

plugins::CommandResult AptGet::simulate_install(const std::vector<PackageUpgrade>& targets,
                                                std::chrono::seconds timeout,
                                                const Cancelled& cancelled) const {
  return run(install_args({"-s"}, targets), timeout, cancelled);
}

plugins::CommandResult AptGet::upgrade() const {
  std::vector<std::string> args = kChangeOptions;
  args.push_back("upgrade");
  return run(args, std::chrono::seconds(0), {});
}

plugins::CommandResult AptGet::install_upgrades(const std::vector<PackageUpgrade>& targets) const {
  return run(install_args(kChangeOptions, targets), std::chrono::seconds(0), {});
}

plugins::CommandResult AptGet::autoremove() const {
  std::vector<std::string> args = kChangeOptions;
  args.push_back("autoremove");
  return run(args, std::chrono::seconds(0), {});
}

std::string explain_failure(const plugins::CommandResult& result, const std::string& step) {
  if (!result.started) return step + ": " + result.start_error;
  if (result.cancelled) return step + " was stopped: the task was cancelled";
  if (result.timed_out) return step + " " + result.describe();
  if (auto lock = parse_lock_error(result.err + "\n" + result.out)) {
    bool dpkg = lock->path.find("/dpkg/") != std::string::npos;
    std::string holder = lock->pid > 0
                             ? " held by PID " + std::to_string(lock->pid) +
                                   (lock->process.empty() ? "" : " (" + lock->process + ")")
                             : " held by another process";
    return std::string(dpkg ? "dpkg lock" : "apt lock") + holder + ": " + lock->path +
           "; another package manager is running, try again when it has finished";
  }
  auto errors = lines_starting(result.err + "\n" + result.out, "E: ");
  if (errors.empty()) return step + " " + result.describe();
  std::string joined;
  for (const auto& error : errors) joined += (joined.empty() ? "" : "; ") + error;
  return step + " failed (exit " + std::to_string(result.exit_code) + "): " + joined;
}

bool valid_package_name(const std::string& name) {
  static const RE2 pattern(R"([a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?)");
  return RE2::FullMatch(name, pattern);
}

bool valid_version(const std::string& version) {
  static const RE2 pattern(R"([A-Za-z0-9][A-Za-z0-9.+~:-]*)");
  return RE2::FullMatch(version, pattern);
}

}  // namespace tend::package_update
