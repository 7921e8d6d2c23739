// A real filesystem whose usage a test controls: a small tmpfs mounted on a
// fresh directory, unmounted and removed at the end. Mounting needs root
// (CAP_SYS_ADMIN); without it, `mount` says why and the test skips.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace tend::testing {

class TmpfsMount {
 public:
  // nullptr when it cannot be mounted; `why` then says so.
  static std::unique_ptr<TmpfsMount> mount(uint64_t size_bytes, std::string& why);
  // Another tmpfs on an existing directory (a mount point inside a root).
  static std::unique_ptr<TmpfsMount> mount_at(const std::filesystem::path& dir, uint64_t size_bytes,
                                              std::string& why);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  TmpfsMount(std::filesystem::path path, bool owns_dir)
      : path_(std::move(path)), owns_dir_(owns_dir) {}

  std::filesystem::path path_;
  bool owns_dir_;
};

}  // namespace tend::testing
