// Files for plugin tests: the plugins built for them (see tests/plugins) and
// private directories to copy them into with exactly the permissions a test
// needs, whatever the umask of the build.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

namespace tend::testing {

inline std::filesystem::path test_plugin(const std::string& file_name) {
  return std::filesystem::path(TEND_TEST_PLUGIN_DIR) / file_name;
}

inline std::filesystem::path noop_plugin() { return TEND_NOOP_PLUGIN; }

// A fresh directory (mode 0755), removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tend-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
    std::filesystem::permissions(path_, std::filesystem::perms(0755));
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Copies `from` in as `name` with `mode`; returns the new path.
  std::filesystem::path add(const std::filesystem::path& from, const std::string& name,
                            mode_t mode = 0755) const {
    auto to = path_ / name;
    std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
    chmod(to.c_str(), mode);
    return to;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace tend::testing
