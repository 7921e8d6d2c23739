// What one package-update task asks for, read and checked from its params
// (the task's choice: which upgrades) and settings (the operator's: which
// apt-get, its options and config, packages never to touch, where the
// reboot flag lives).
#pragma once

#include <chrono>
#include <string>
#include <tend/expected.hpp>
#include <tend/plugin.hpp>

#include "plugins/package-update/apt_get.h"
#include "plugins/package-update/upgrade_selection.h"

namespace tend::package_update {

struct UpdateRequest {
  AptSettings apt;
  SelectionRules rules;
  std::string reboot_file;
  bool update = true;
  bool autoremove = false;
  std::chrono::seconds timeout{600};  // for update and simulations
};

// The request, or an error naming the setting or param that is wrong.
Expected<UpdateRequest> read_update_request(const tend::sdk::Context& ctx);

}  // namespace tend::package_update
