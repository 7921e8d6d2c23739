#include "core/common/textfile_exporter.h"

#include <spdlog/spdlog.h>

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
    : writer_(std::move(writer)),
      render_(std::move(render)),
      timing_(timing),
      loop_(*this, "metrics-file", "metrics") {
  spdlog::info("metrics: writing {}", writer_.path().string());
  loop_.start();
}

TextfileExporter::~TextfileExporter() { loop_.stop(); }

void TextfileExporter::on_wake() {
  if (Clock::now() < next_check_) return;
  export_once(/*last=*/false);
  next_check_ = Clock::now() + timing_.check;
}

void TextfileExporter::export_once(bool last) {
  std::string text = render_();
  const auto now = Clock::now();
  if (!first_ && !last && text == written_ && now - written_at_ < timing_.refresh) return;
  if (!write(text)) return;
  written_ = std::move(text);
  written_at_ = now;
  first_ = false;
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
