// apt-get as this plugin runs it: through tend::plugins::run_command (an
// argv, never a shell), with DEBIAN_FRONTEND=noninteractive, LC_ALL=C so its
// output parses, the operator's `-o Key=Value` options after our own (so
// theirs win), and APT_CONFIG when the operator names a config file.
//
// Finding out (update, a simulation) stops at its timeout or when the task
// is cancelled. Changing packages does not: dpkg stopped halfway leaves
// packages half-configured, which is worse than a task that overruns. Its
// own process group also keeps it out of reach of the runner's kill at the
// deadline, so it finishes either way.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "plugins/package-update/apt_output.h"
#include "plugins/support/command.h"

namespace tend::package_update {

struct AptSettings {
  std::string apt_get = "/usr/bin/apt-get";
  std::vector<std::string> options;  // "Key=Value", each passed as -o Key=Value
  std::string apt_config;            // APT_CONFIG for apt-get when not empty
};

using Cancelled = std::function<bool()>;

class AptGet {
 public:
  explicit AptGet(AptSettings settings) : settings_(std::move(settings)) {}

  plugins::CommandResult update(std::chrono::seconds timeout, const Cancelled& cancelled) const;
  // `apt-get -s upgrade`: what an upgrade would do, changing nothing.
  plugins::CommandResult simulate_upgrade(std::chrono::seconds timeout,
                                          const Cancelled& cancelled) const;
  // `apt-get -s install --only-upgrade name=version...`: what installing
  // exactly these would do, the upgrades they need included.
  plugins::CommandResult simulate_install(const std::vector<PackageUpgrade>& targets,
                                          std::chrono::seconds timeout,
                                          const Cancelled& cancelled) const;
  // `apt-get -y upgrade`, keeping changed config files as they are.
  plugins::CommandResult upgrade() const;
  // `apt-get -y install --only-upgrade name=version...`: exactly these.
  plugins::CommandResult install_upgrades(const std::vector<PackageUpgrade>& targets) const;
  plugins::CommandResult autoremove() const;

 private:
  plugins::CommandResult run(std::vector<std::string> args, std::chrono::seconds timeout,
                             const Cancelled& cancelled) const;

  AptSettings settings_;
};

// Why an apt-get step failed, for ctx.error: who holds the dpkg lock, or
// apt's own "E:" lines, or how the command ended.
std::string explain_failure(const plugins::CommandResult& result, const std::string& step);

// A name as Debian policy allows (plus ":arch"), a version as dpkg allows:
// what may be passed to apt-get as an argument.
bool valid_package_name(const std::string& name);
bool valid_version(const std::string& version);

}  // namespace tend::package_update
