#include "tests/support/tmpfs_mount.h"

#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace tend::testing {

std::unique_ptr<TmpfsMount> TmpfsMount::mount(uint64_t size_bytes, std::string& why) {
  std::string pattern = (std::filesystem::temp_directory_path() / "tend-tmpfs-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    why = "cannot create a directory to mount on: " + std::string(std::strerror(errno));
    return nullptr;
  }
  auto mounted = mount_at(buf.data(), size_bytes, why);
  if (!mounted) {
    rmdir(buf.data());
    return nullptr;
  }
  mounted->owns_dir_ = true;
  return mounted;
}

std::unique_ptr<TmpfsMount> TmpfsMount::mount_at(const std::filesystem::path& dir,
                                                 uint64_t size_bytes, std::string& why) {
  std::string options = "size=" + std::to_string(size_bytes) + ",mode=0755";
  if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0) {
    why = "cannot mount a tmpfs on " + dir.string() + " (needs root): " + std::strerror(errno);
    return nullptr;
  }
  return std::unique_ptr<TmpfsMount>(new TmpfsMount(dir, false));
}

TmpfsMount::~TmpfsMount() {
  // Lazily, so that a descriptor a failed test left open cannot keep it.
  umount2(path_.c_str(), MNT_DETACH);
  if (owns_dir_) rmdir(path_.c_str());
}

}  // namespace tend::testing
