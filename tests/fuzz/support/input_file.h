// The current input as a file, for readers that take a path (agent.toml,
// coordinator.toml, routes.toml, schedules.toml) or a descriptor (the runner
// frames): an in-memory file (memfd), rewritten for each input, so a harness
// touches no disk.
#pragma once

#include <string>
#include <string_view>

namespace tend::fuzz {

class InputFile {
 public:
  // `name` shows in /proc/self/fd's link, for whoever looks.
  explicit InputFile(const char* name);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Replaces the file's content; reading fd() starts at its beginning.
  void hold(std::string_view content);
  // Back to the beginning, to read what was written to fd().
  void rewind();

  // /proc/self/fd/N: opening it opens the file afresh.
  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

 private:
  int fd_;
  std::string path_;
};

}  // namespace tend::fuzz
