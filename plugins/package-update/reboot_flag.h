// Whether the node needs a reboot, as Debian and Ubuntu record it: packages
// whose postinst wants one (the kernel, libc, ...) create
// /var/run/reboot-required and add their names to reboot-required.pkgs.
#pragma once

#include <string>
#include <vector>

namespace tend::package_update {

inline constexpr const char* kDefaultRebootFile = "/var/run/reboot-required";

struct RebootFlag {
  bool required = false;
  std::vector<std::string> packages;  // from <file>.pkgs, each once
};

RebootFlag read_reboot_flag(const std::string& path);

}  // namespace tend::package_update
