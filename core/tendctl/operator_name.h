// Who is asking, for a task's requested_by and the audit trail.
#pragma once

#include <string>

namespace tend::tendctl {

// $SUDO_USER (the person behind `sudo tendctl`), else $USER, else $LOGNAME,
// else "unknown".
std::string operator_name();

}  // namespace tend::tendctl
