// A private apt world in a temporary directory, so package-update runs the
// real apt-get and dpkg without touching this machine's own packages:
//   - its own root: dpkg admin dir (status, lock), apt lists, cache, logs,
//     and the files packages install, all under root();
//   - an apt config (APT_CONFIG) that sets Dir to that root, so not even the
//     machine's /etc/apt/apt.conf.d is read, and has dpkg run with
//     --root/--admindir there;
//   - local file: repositories of tiny packages built with dpkg-deb and
//     indexed with dpkg-scanpackages, each with a Release file whose Label
//     and Suite say where it claims to come from (Debian-Security...).
// The sources are listed in a directory apt only finds through the
// extra_options setting, so a test also shows that setting reaches apt.
//
// A guard config is exported as APT_CONFIG for the whole test process: any
// apt-get that missed the sandbox's config sees an empty root of its own
// rather than the machine's.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plugins/support/command.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {

class AptSandbox {
 public:
  AptSandbox();

  const std::filesystem::path& root() const { return dir_.path(); }

  // A .deb of `name` at `version` (Architecture: all) that installs
  // /usr/share/<name>/version holding the version.
  std::filesystem::path build_package(const std::string& name, const std::string& version,
                                      const std::string& depends = "");

  // (Re)writes the file: repository `name` holding `debs`, with a Release
  // file of this label and suite, and lists it in the sources.
  void repository(const std::string& name, const std::string& label, const std::string& suite,
                  const std::vector<std::filesystem::path>& debs);
  // Any sources line, e.g. a mirror on a loopback port.
  void source(const std::string& name, const std::string& line);

  // apt-get in the sandbox for a test's own set-up; a failure fails the test.
  plugins::CommandResult apt_get(const std::vector<std::string>& args) const;

  // The version dpkg in the sandbox has installed, "" when none.
  std::string installed_version(const std::string& package) const;
  // What the package's file says inside the sandbox root.
  std::string installed_file(const std::string& package) const;

  // The plugin's [plugin.package-update] settings for this sandbox.
  std::string settings(const std::string& extra_lines = "",
                       const std::vector<std::string>& extra_options = {}) const;

  std::filesystem::path lock_file() const;    // dpkg's frontend lock
  std::filesystem::path reboot_file() const;  // the sandbox's reboot-required

 private:
  std::vector<std::string> options() const;

  TempDir dir_;
};

}  // namespace tend::testing
