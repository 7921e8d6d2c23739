// Keeps one metrics textfile up to date from a thread of its own, so that no
// task or NATS callback ever waits on the disk. It renders the text every
// `check` interval and writes it when it changed (so changes are coalesced
// into at most one write per interval), when `refresh` has passed without a
// write, at start and one last time when it is destroyed.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include "core/common/actor.h"
#include "core/common/textfile_writer.h"

namespace tend {

// How often a TextfileExporter looks at the text and rewrites the file.
struct TextfileTiming {
  std::chrono::milliseconds check{2000};
  // An unchanged file is still rewritten this often, so its modification
  // time (node_textfile_mtime_seconds) tells that the program is alive.
  std::chrono::milliseconds refresh{60000};
};

class TextfileExporter final : private Actor<std::monostate>::Owner {
 public:
  // Called on the exporter's thread: must be safe against the owner's threads.
  using Render = std::function<std::string()>;

  // Starts exporting to <dir>/<name>.prom. No exporter (nullptr) when `dir`
  // is "" (metrics turned off) or is not a directory (said once, as a
  // warning: the program goes on without metrics).
  static std::unique_ptr<TextfileExporter> start(const std::string& dir, const std::string& name,
                                                 Render render, TextfileTiming timing = {});

  // Renders and writes one last time, then stops the thread.
  ~TextfileExporter() override;
  TextfileExporter(const TextfileExporter&) = delete;
  TextfileExporter& operator=(const TextfileExporter&) = delete;

  const std::filesystem::path& path() const { return writer_.path(); }

 private:
  using Clock = Actor<std::monostate>::Clock;
  TextfileExporter(TextfileWriter writer, Render render, TextfileTiming timing);
  // The thread (Actor::Owner): a check every timing_.check, one last at the stop.
  void on_event(std::monostate&) override {}  // nothing is sent to it
  Clock::time_point next_wake() const override { return next_check_; }
  void on_wake() override;
  void on_stop() override { export_once(/*last=*/true); }
  // Renders, and writes when the text changed, on the first and the last
  // time, and every timing_.refresh.
  void export_once(bool last);
  bool write(const std::string& text);  // false when it failed (and said so once)

  TextfileWriter writer_;
  Render render_;
  TextfileTiming timing_;
  // The thread's own.
  bool failing_ = false;  // the last write failed: said once, until one works again
  std::string written_;
  Clock::time_point written_at_{};
  bool first_ = true;
  Clock::time_point next_check_{};  // at once when the thread starts

  Actor<std::monostate> loop_;
};

}  // namespace tend
