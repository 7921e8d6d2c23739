// Whether a script, and the directory it lives in, can be trusted to be what
// the operator put there: the same rule the agent applies to plugin files,
// and sudo and sshd to theirs. Owned by root or by the agent's own user, and
// writable by nobody else (no group or other write bit). A script must also
// be a regular file itself, not a symlink to somewhere else.
//
// The directory is checked too: in a directory others may write to, anyone
// could swap a trusted file for their own between the check and the exec.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <string>
#include <tend/expected.hpp>

namespace tend::plugins::exec {

// Why a file with this lstat/stat result is not to be trusted, or "" when
// it is. `what` names it in the message ("script /x/y", "scripts_dir /x").
std::string untrusted_reason(const struct stat& st, uid_t agent_uid, const std::string& what);

// scripts_dir itself: a directory, trusted as above (symlinks followed, as
// the operator wrote the path).
Expected<void> check_scripts_dir(const std::string& dir, uid_t agent_uid);

// One script: a regular file (never a symlink), trusted as above.
Expected<void> check_script_file(const std::string& path, uid_t agent_uid);

}  // namespace tend::plugins::exec
