// An argv written out two ways: exactly, as a JSON list of strings, for the
// outputs a program or an auditor reads; and as a shell would quote it, for
// the summary line a person reads. Neither is ever given to a shell.
#pragma once

#include <string>
#include <vector>

namespace tend::plugins::exec {

// ["/bin/echo","a b","$(id)"], with JSON escapes.
std::string json_list(const std::vector<std::string>& items);

// /bin/echo 'a b' '$(id)': words quoted only when they need it.
std::string display_command(const std::vector<std::string>& argv);

}  // namespace tend::plugins::exec
