// `tend-agent --check-plugin FILE`: what a plugin author or an operator runs
// before dropping a .so into the plugin directory.
#pragma once

#include <ostream>
#include <string>

namespace tend {

// Loads FILE as the agent would (ownership and permissions, ABI, descriptor),
// prints its description to `out` and returns 0, or prints why it is not
// usable to `err` and returns 1.
int check_plugin_file(const std::string& path, std::ostream& out, std::ostream& err);

}  // namespace tend
