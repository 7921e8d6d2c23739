// Shows a running task's TALLY messages as they arrive. They arrive on a
// nats.c delivery thread while the main thread waits for the summary, so the
// view is shared and locked; finish() stops it before the summary is printed.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

#include "schemas/progress.pb.h"

namespace tend::tendctl {

class ProgressView {
 public:
  enum class Mode {
    kBar,     // stdout is a terminal: one line redrawn in place
    kLines,   // a pipe or a file: one plain line per tally
    kSilent,  // --json: stdout holds the summary and nothing else
  };

  ProgressView(Mode mode, std::ostream& out) : mode_(mode), out_(out) {}

  // On a terminal, says the task is on its way until the first tally comes:
  // the first result can be minutes off.
  void submitted(const std::string& task_id);

  // Anything but a TALLY (agents' ACKs share the subject) is ignored.
  void show(const tend::Progress& progress);

  // Wipes the bar and ignores whatever arrives later.
  void finish();

 private:
  std::mutex mu_;
  Mode mode_;
  std::ostream& out_;
  bool bar_drawn_ = false;
};

}  // namespace tend::tendctl
