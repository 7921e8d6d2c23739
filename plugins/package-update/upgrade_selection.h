// Which of the upgrades apt offers a task takes (plain C++, no apt): all of
// them, only those from a security archive, only the packages the task
// names — never one the operator excluded.
//
// Security is read from where apt says the new version comes from: the
// release list of each "Inst" line ("Debian-Security:12/stable-security").
// A release is a security one when its label is Debian-Security or its suite
// ends in "-security" (Debian's stable-security, Ubuntu's jammy-security) or
// "/updates" (Debian 10 and older).
#pragma once

#include <string>
#include <vector>

#include "plugins/package-update/apt_output.h"

namespace tend::package_update {

struct SelectionRules {
  bool security_only = false;
  std::vector<std::string> packages;  // empty: any
  std::vector<std::string> exclude;   // shell patterns (fnmatch) on the name
};

struct Selection {
  std::vector<PackageUpgrade> targets;
  std::vector<PackageUpgrade> left_out;      // offered, not taken
  std::vector<std::string> named_not_taken;  // in `packages`, but no upgrade taken
  int security = 0;                          // targets from a security release

  // Every upgrade apt offers is taken: plain `apt-get upgrade` does it.
  bool everything() const { return left_out.empty(); }
};

bool from_security(const PackageUpgrade& upgrade);
bool excluded(const SelectionRules& rules, const PackageUpgrade& upgrade);

Selection select_upgrades(const std::vector<PackageUpgrade>& offered, const SelectionRules& rules);

}  // namespace tend::package_update
