#include "plugins/disk-cleanup/open_files.h"

#include <dirent.h>
#include <sys/stat.h>

#include <cctype>
#include <memory>
#include <string>

namespace tend::disk_cleanup {
namespace {

using DirPtr = std::unique_ptr<DIR, int (*)(DIR*)>;

bool all_digits(const char* name) {
  if (*name == '\0') return false;
  for (; *name; ++name) {
    if (!std::isdigit(static_cast<unsigned char>(*name))) return false;
  }
  return true;
}

}  // namespace

OpenFiles OpenFiles::snapshot() {
  OpenFiles open;
  DirPtr proc(opendir("/proc"), &closedir);
  if (!proc) return open;
  while (const dirent* process = readdir(proc.get())) {
    if (!all_digits(process->d_name)) continue;
    std::string fd_dir = std::string("/proc/") + process->d_name + "/fd";
    DirPtr fds(opendir(fd_dir.c_str()), &closedir);
    if (!fds) continue;  // gone, or not ours to see
    while (const dirent* fd = readdir(fds.get())) {
      if (!all_digits(fd->d_name)) continue;
      // stat (not lstat) of the magic link is the open file itself.
      struct stat st {};
      std::string link = fd_dir + "/" + fd->d_name;
      if (stat(link.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
        open.files_.insert({st.st_dev, st.st_ino});
      }
    }
  }
  return open;
}

}  // namespace tend::disk_cleanup
