#include "core/tendctl/progress_view.h"

#include "core/tendctl/progress_bar.h"

namespace tend::tendctl {
namespace {

// Back to the start of the line, then erase it.
constexpr const char* kClearLine = "\r\x1b[K";

}  // namespace

void ProgressView::submitted(const std::string& task_id) {
  std::lock_guard lock(mu_);
  if (mode_ != Mode::kBar || bar_drawn_) return;
  out_ << kClearLine << "task " << task_id << " submitted, waiting for results" << std::flush;
  bar_drawn_ = true;
}

void ProgressView::show(const tend::Progress& progress) {
  if (progress.kind() != tend::Progress::TALLY) return;
  std::lock_guard lock(mu_);
  switch (mode_) {
    case Mode::kBar:
      out_ << kClearLine << progress_bar_line(progress) << std::flush;
      bar_drawn_ = true;
      break;
    case Mode::kLines:
      out_ << progress_plain_line(progress) << "\n" << std::flush;
      break;
    case Mode::kSilent:
      break;
  }
}

void ProgressView::finish() {
  std::lock_guard lock(mu_);
  if (bar_drawn_) out_ << kClearLine << std::flush;
  bar_drawn_ = false;
  mode_ = Mode::kSilent;
}

}  // namespace tend::tendctl
