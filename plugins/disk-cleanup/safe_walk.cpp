#include "plugins/disk-cleanup/safe_walk.h"

#include <dirent.h>
#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace tend::disk_cleanup {
namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

// Why opening `name` under `dir_fd` as a directory failed, in words.
std::string open_failure(int dir_fd, const std::string& name, int error) {
  struct stat st {};
  if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
    return "is a symbolic link, which disk-cleanup never follows: configure the directory it "
           "points to";
  }
  if (error == ENOENT) return "does not exist";
  if (error == ENOTDIR) return "is not a directory";
  return std::strerror(error);
}

class Walker {
 public:
  explicit Walker(const std::function<bool(const WalkedFile&)>& visit) : visit_(visit) {}

  void walk(int dir_fd, const struct stat& dir_st, int depth) {
    // A fresh open file description, so the caller's descriptor keeps its
    // own position and the directory can be walked again.
    int list_fd = openat(dir_fd, ".", kDirectoryFlags);
    if (list_fd < 0) {
      ++stats_.unreadable_directories;
      return;
    }
    std::unique_ptr<DIR, int (*)(DIR*)> listing(fdopendir(list_fd), &closedir);
    if (!listing) {
      close(list_fd);
      ++stats_.unreadable_directories;
      return;
    }
    while (!stopped_) {
      const dirent* entry = readdir(listing.get());
      if (entry == nullptr) break;
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      struct stat st {};
      if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone
      if (S_ISLNK(st.st_mode)) {
        ++stats_.symlinks_skipped;
      } else if (S_ISDIR(st.st_mode)) {
        enter(dir_fd, name, st, dir_st, depth);
      } else if (S_ISREG(st.st_mode)) {
        if (!visit_(WalkedFile{dirs_, name, st, identity_of(dir_st)})) stopped_ = true;
      }
      // Sockets, FIFOs and devices are never anyone's old log.
    }
  }

  const WalkStats& stats() const { return stats_; }

 private:
  void enter(int dir_fd, const std::string& name, const struct stat& st,
             const struct stat& parent_st, int depth) {
    if (st.st_dev != parent_st.st_dev) {
      ++stats_.mount_points_skipped;
      return;
    }
    if (depth + 1 > kMaxWalkDepth) {
      ++stats_.too_deep;
      return;
    }
    UniqueFd child(openat(dir_fd, name.c_str(), kDirectoryFlags));
    struct stat child_st {};
    // Swapped for something else between the stat and the open: leave it.
    if (!child || fstat(child.get(), &child_st) != 0 || identity_of(child_st) != identity_of(st)) {
      ++stats_.unreadable_directories;
      return;
    }
    dirs_.push_back(name);
    walk(child.get(), child_st, depth + 1);
    dirs_.pop_back();
  }

  const std::function<bool(const WalkedFile&)>& visit_;
  std::vector<std::string> dirs_;
  WalkStats stats_;
  bool stopped_ = false;
};

}  // namespace

Expected<UniqueFd> open_directory_path(const std::string& absolute_path) {
  if (absolute_path.empty() || absolute_path[0] != '/') {
    return make_error(absolute_path + " is not an absolute path");
  }
  UniqueFd dir(open("/", kDirectoryFlags & ~O_NOFOLLOW));
  if (!dir) return make_error(std::string("cannot open /: ") + std::strerror(errno));
  std::string walked;
  size_t start = 1;
  while (start <= absolute_path.size()) {
    size_t end = absolute_path.find('/', start);
    if (end == std::string::npos) end = absolute_path.size();
    std::string component = absolute_path.substr(start, end - start);
    start = end + 1;
    if (component.empty()) continue;  // "//" or a trailing "/"
    if (component == "." || component == "..") {
      return make_error(absolute_path + " contains '" + component + "': give the plain path");
    }
    walked += "/" + component;
    UniqueFd next(openat(dir.get(), component.c_str(), kDirectoryFlags));
    if (!next) return make_error(walked + " " + open_failure(dir.get(), component, errno));
    dir = std::move(next);
  }
  return dir;
}

Expected<UniqueFd> open_directory_below(int root_fd, const std::vector<std::string>& dirs,
                                        FileIdentity expected) {
  UniqueFd dir(openat(root_fd, ".", kDirectoryFlags));
  if (!dir) return make_error(std::strerror(errno));
  for (const std::string& name : dirs) {
    UniqueFd next(openat(dir.get(), name.c_str(), kDirectoryFlags));
    if (!next) return make_error(name + " " + open_failure(dir.get(), name, errno));
    dir = std::move(next);
  }
  struct stat st {};
  if (fstat(dir.get(), &st) != 0 || identity_of(st) != expected) {
    return make_error("its directory was moved or replaced since the scan");
  }
  return dir;
}

WalkStats walk_regular_files(int root_fd, const std::function<bool(const WalkedFile&)>& visit) {
  Walker walker(visit);
  struct stat root_st {};
  if (fstat(root_fd, &root_st) != 0) {
    WalkStats stats;
    ++stats.unreadable_directories;
    return stats;
  }
  walker.walk(root_fd, root_st, 0);
  return walker.stats();
}

std::string join_path(const std::string& root, const std::vector<std::string>& dirs,
                      const std::string& name) {
  std::string path = root;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  for (const std::string& dir : dirs) path += (path == "/" ? "" : "/") + dir;
  return path + (path == "/" ? "" : "/") + name;
}

}  // namespace tend::disk_cleanup
