#include "plugins/exec/trusted_file.h"

#include <cerrno>
#include <cstring>

namespace tend::plugins::exec {

std::string untrusted_reason(const struct stat& st, uid_t agent_uid, const std::string& what) {
  if (st.st_uid != 0 && st.st_uid != agent_uid) {
    return what + " is owned by uid " + std::to_string(st.st_uid) +
           ": it must be owned by root or by the agent's user (uid " + std::to_string(agent_uid) +
           ")";
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return what + " is writable by group or others: run chmod go-w on it";
  }
  return "";
}

Expected<void> check_scripts_dir(const std::string& dir, uid_t agent_uid) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) {
    return make_error("scripts_dir " + dir + " cannot be used: " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return make_error("scripts_dir " + dir + " is not a directory");
  if (auto why = untrusted_reason(st, agent_uid, "scripts_dir " + dir); !why.empty()) {
    return make_error(why);
  }
  return {};
}

Expected<void> check_script_file(const std::string& path, uid_t agent_uid) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    return make_error("script " + path + " cannot be used: " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return make_error("script " + path + " is not a regular file" +
                      (S_ISLNK(st.st_mode) ? " (a symlink is never followed)" : ""));
  }
  if (auto why = untrusted_reason(st, agent_uid, "script " + path); !why.empty()) {
    return make_error(why);
  }
  return {};
}

}  // namespace tend::plugins::exec
