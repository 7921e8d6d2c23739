// A fresh directory under /tmp for one test's files (configs, logs), removed
// at the end. Set TEND_TEST_KEEP_TMP=1 to keep it for a post-mortem.
#pragma once

#include <filesystem>
#include <string>

namespace tend::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& stem = "tend-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `text` to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

// The whole contents of a file, or "" when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace tend::testing
