// Writes one metrics file for node_exporter's textfile collector, whole or
// not at all: the text goes to <dir>/<name>.prom.tmp.<pid>, is synced, and
// is renamed over <dir>/<name>.prom. node_exporter reads only *.prom files,
// so it never sees half a file, and a failed write leaves the last good one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend {

class TextfileWriter {
 public:
  // `name` without the extension: "tend_agent" writes tend_agent.prom.
  TextfileWriter(std::filesystem::path dir, const std::string& name);

  const std::filesystem::path& path() const { return path_; }

  // Replaces the file with `text`, readable by everyone (node_exporter runs
  // as its own user). An error names the file and what went wrong; the
  // temporary file never stays behind.
  Expected<void> write(std::string_view text) const;

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
};

}  // namespace tend
