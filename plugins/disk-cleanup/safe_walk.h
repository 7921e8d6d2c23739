// Walking a directory tree without ever leaving it.
//
// Cleanup runs as root in directories (/tmp above all) where anyone may plant
// a symbolic link. So every step goes through a directory descriptor by a
// single name that came from readdir — openat(2) with O_NOFOLLOW and
// fstatat(2) with AT_SYMLINK_NOFOLLOW — never through a path string the
// kernel would resolve. A symlink, to a file or to a directory, is never
// followed; ".." never appears; a directory on another filesystem (a mount
// point under the root) is not entered.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <tend/expected.hpp>
#include <tend/unique_fd.hpp>
#include <vector>

namespace tend::disk_cleanup {

// Deeper trees are not entered (and counted): no real log or temp tree is
// this deep, and each level holds one descriptor while it is walked.
inline constexpr int kMaxWalkDepth = 64;

// Opens an absolute directory path one component at a time from "/", with
// O_NOFOLLOW at every step: the result is the directory the path names, and
// not where some symlink along it points. "." and ".." are refused.
Expected<UniqueFd> open_directory_path(const std::string& absolute_path);

// Identity of a file or directory as the walk saw it.
struct FileIdentity {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileIdentity&) const = default;
};
inline FileIdentity identity_of(const struct stat& st) { return {st.st_dev, st.st_ino}; }

// Opens root/dirs[0]/dirs[1]/... the same way, and only if the last one is
// still the directory `expected` (a directory renamed or replaced since the
// walk is not the one that was looked at).
Expected<UniqueFd> open_directory_below(int root_fd, const std::vector<std::string>& dirs,
                                        FileIdentity expected);

// A regular file the walk found. References are valid during the visit only.
struct WalkedFile {
  const std::vector<std::string>& dirs;  // from the root down to its directory
  const std::string& name;
  const struct stat& st;
  FileIdentity parent;
};

// What the walk did not enter or look at, for the report.
struct WalkStats {
  uint64_t symlinks_skipped = 0;
  uint64_t mount_points_skipped = 0;  // directories on another filesystem
  uint64_t unreadable_directories = 0;
  uint64_t too_deep = 0;
};

// Calls `visit` for every regular file under `root_fd`, depth first. `visit`
// returns false to stop the walk early (cancellation).
WalkStats walk_regular_files(int root_fd, const std::function<bool(const WalkedFile&)>& visit);

// "/var/log" + {"app", "old"} + "x.log" -> "/var/log/app/old/x.log".
std::string join_path(const std::string& root, const std::vector<std::string>& dirs,
                      const std::string& name);

}  // namespace tend::disk_cleanup
