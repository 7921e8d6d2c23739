// Who may have written a plugin before the agent runs it. Plugin code runs
// with the agent's rights, so, as sudo does for sudoers and sshd for
// authorized_keys, a file is refused when anyone but root or the agent's own
// user could have put it there: the file and its directory must be owned by
// one of them and writable by neither group nor others. Symlinks are resolved
// first, so what is checked is what would be loaded.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "bus/expected.h"

namespace tend {

// The resolved path when the file may be loaded; otherwise why not, with the
// command that fixes it.
Expected<std::filesystem::path> check_plugin_file_policy(const std::filesystem::path& path,
                                                         uid_t agent_uid);

}  // namespace tend
