#include "core/agent/plugin_host/plugin_file_policy.h"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace tend {
namespace {

std::string user_name(uid_t uid) {
  passwd entry{};
  passwd* found = nullptr;
  char buffer[1024];
  if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found) {
    return fmt::format("{} ({})", uid, found->pw_name);
  }
  return std::to_string(uid);
}

// `what` is "file" or "directory".
Expected<void> check_owner_and_mode(const std::filesystem::path& path, const char* what,
                                    uid_t agent_uid, const std::filesystem::path& plugin) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return make_error(fmt::format("refusing {}: cannot stat {} {}: {}", plugin.string(), what,
                                  path.string(), std::strerror(errno)));
  }
  if (st.st_uid != 0 && st.st_uid != agent_uid) {
    return make_error(fmt::format(
        "refusing {}: {} {} is owned by uid {}, not root or the agent's user; fix: chown root {}",
        plugin.string(), what, path.string(), user_name(st.st_uid), path.string()));
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    const char* who = (st.st_mode & S_IWOTH) ? "others" : "its group";
    return make_error(
        fmt::format("refusing {}: {} {} is writable by {} (mode {:04o}); fix: chmod go-w {}",
                    plugin.string(), what, path.string(), who, st.st_mode & 07777, path.string()));
  }
  return {};
}

Expected<void> check_not_writable_by_all(const std::filesystem::path& dir,
                                         const std::filesystem::path& plugin) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) {
    return make_error(fmt::format("refusing {}: cannot stat directory {}: {}", plugin.string(),
                                  dir.string(), std::strerror(errno)));
  }
  if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
    return make_error(fmt::format(
        "refusing {}: directory {} above it is writable by others (mode {:04o}); fix: chmod o-w {}",
        plugin.string(), dir.string(), st.st_mode & 07777, dir.string()));
  }
  return {};
}

}  // namespace

Expected<std::filesystem::path> check_plugin_file_policy(const std::filesystem::path& path,
                                                         uid_t agent_uid) {
  std::error_code ec;
  auto real = std::filesystem::canonical(path, ec);
  if (ec) {
    return make_error(
        fmt::format("refusing {}: cannot resolve it: {}", path.string(), ec.message()));
  }
  if (!std::filesystem::is_regular_file(real, ec)) {
    return make_error(
        fmt::format("refusing {}: {} is not a regular file", path.string(), real.string()));
  }
  // Messages name the link as the operator listed it, and the target when it differs.
  std::filesystem::path shown =
      real == path ? path
                   : std::filesystem::path(fmt::format("{} (-> {})", path.string(), real.string()));
  if (auto ok = check_owner_and_mode(real, "file", agent_uid, shown); !ok) return ok.error();
  if (auto ok = check_owner_and_mode(real.parent_path(), "directory", agent_uid, shown); !ok) {
    return ok.error();
  }
  // And no directory above it that anybody may write to, since whoever may
  // rename one of them may put another plugin in this one's place. Unlike
  // sshd's StrictModes, owners and group write above the plugin directory
  // are left to the operator; a sticky directory (as /tmp) is fine, as
  // nobody can rename what is not theirs in it.
  for (auto dir = real.parent_path(); dir.has_relative_path();) {
    dir = dir.parent_path();
    if (auto ok = check_not_writable_by_all(dir, shown); !ok) return ok.error();
  }
  return real;
}

}  // namespace tend
