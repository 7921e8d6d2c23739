// Keeps one metrics textfile up to date from a thread of its own, so that no
// task or NATS callback ever waits on the disk. It renders the text every
// `check` interval and writes it when it changed (so changes are coalesced
// into at most one write per interval), when `refresh` has passed without a
// write, at start and one last time when it is destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/common/textfile_writer.h"

namespace tend {

// How often a TextfileExporter looks at the text and rewrites the file.
struct TextfileTiming {
  std::chrono::milliseconds check{2000};
  // An unchanged file is still rewritten this often, so its modification
  // time (node_textfile_mtime_seconds) tells that the program is alive.
  std::chrono::milliseconds refresh{60000};
};

class TextfileExporter {
 public:
  // Called on the exporter's thread: must be safe against the owner's threads.
  using Render = std::function<std::string()>;

  // Starts exporting to <dir>/<name>.prom. No exporter (nullptr) when `dir`
  // is "" (metrics turned off) or is not a directory (said once, as a
  // warning: the program goes on without metrics).
  static std::unique_ptr<TextfileExporter> start(const std::string& dir, const std::string& name,
                                                 Render render, TextfileTiming timing = {});

  // Renders and writes one last time, then stops the thread.
  ~TextfileExporter();
  TextfileExporter(const TextfileExporter&) = delete;
  TextfileExporter& operator=(const TextfileExporter&) = delete;

  const std::filesystem::path& path() const { return writer_.path(); }

 private:
  TextfileExporter(TextfileWriter writer, Render render, TextfileTiming timing);
  void loop();
  bool write(const std::string& text);  // false when it failed (and said so once)

  TextfileWriter writer_;
  Render render_;
  TextfileTiming timing_;
  bool failing_ = false;  // the last write failed: said once, until one works again

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tend
