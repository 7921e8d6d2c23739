// What apt-get says, read as data: the "Inst" lines of a simulation, the
// "N upgraded, M newly installed..." line, the "E:" lines and the lock
// message apt prints when another package manager is running. apt-get runs
// with LC_ALL=C, so these are the untranslated texts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tend::package_update {

// One "Inst name [old] (new Label:Version/Suite, ... [arch])" line.
struct PackageUpgrade {
  std::string name;         // "libssl3", or "libfoo:i386" for a foreign architecture
  std::string old_version;  // empty: a package apt would newly install
  std::string new_version;
  std::vector<std::string> releases;  // where the new version comes from
  std::string arch;

  bool is_new() const { return old_version.empty(); }
  // "libssl3 3.0.11-1 -> 3.0.13-1"
  std::string describe() const;
};

std::vector<PackageUpgrade> parse_simulation(std::string_view output);

struct AptCounts {
  int upgraded = 0;
  int newly_installed = 0;
  int removed = 0;
  int not_upgraded = 0;
};

// "2 upgraded, 1 newly installed, 0 to remove and 5 not upgraded."
std::optional<AptCounts> parse_counts(std::string_view output);

// "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process
// 1234 (unattended-upgr)"
struct LockHolder {
  std::string path;
  long pid = 0;
  std::string process;  // may be empty
};

std::optional<LockHolder> parse_lock_error(std::string_view output);

// The text of each line starting with `prefix` ("E: ", "W: "), prefix removed.
std::vector<std::string> lines_starting(std::string_view output, std::string_view prefix);

}  // namespace tend::package_update
