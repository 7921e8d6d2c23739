#include "core/common/textfile_exporter.h"

#include <spdlog/spdlog.h>

#include "core/common/thread_name.h"

namespace tend {

std::unique_ptr<TextfileExporter> TextfileExporter::start(const std::string& dir,
                                                          const std::string& name, Render render,
                                                          TextfileTiming timing) {
  if (dir.empty()) return nullptr;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    spdlog::warn(
        "metrics off: textfile directory {} does not exist (install prometheus-node-exporter, "
        "or set [metrics] textfile_dir; \"\" turns metrics off without this warning)",
        dir);
    return nullptr;
  }
  return std::unique_ptr<TextfileExporter>(
      new TextfileExporter(TextfileWriter(dir, name), std::move(render), timing));
}

TextfileExporter::TextfileExporter(TextfileWriter writer, Render render, TextfileTiming timing)
    : writer_(std::move(writer)), render_(std::move(render)), timing_(timing) {
  spdlog::info("metrics: writing {}", writer_.path().string());
  thread_ = std::thread([this] {
    name_this_thread("metrics-file");
    loop();
  });
}

TextfileExporter::~TextfileExporter() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void TextfileExporter::loop() {
  using Clock = std::chrono::steady_clock;
  std::string written;
  Clock::time_point written_at;
  bool first = true;
  std::unique_lock lock(mu_);
  for (;;) {
    const bool last = stop_;
    lock.unlock();
    std::string text = render_();
    const auto now = Clock::now();
    if (first || last || text != written || now - written_at >= timing_.refresh) {
      if (write(text)) {
        written = std::move(text);
        written_at = now;
        first = false;
      }
    }
    lock.lock();
    if (last) return;
    wake_.wait_for(lock, timing_.check, [this] { return stop_; });
  }
}

bool TextfileExporter::write(const std::string& text) {
  auto ok = writer_.write(text);
  if (!ok && !failing_) {
    spdlog::warn("metrics: {} (trying again every {} s)", ok.error().message,
                 std::chrono::duration_cast<std::chrono::seconds>(timing_.check).count());
  } else if (ok && failing_) {
    spdlog::info("metrics: {} written again", writer_.path().string());
  }
  failing_ = !ok;
  return ok.ok();
}

}  // namespace tend
