#include "core/tendctl/run_command.h"

#include <unistd.h>

#include <iostream>
#include <mutex>

#include "bus/codec.h"
#include "core/common/task_id.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/progress_bar.h"
#include "core/tendctl/result_table.h"
#include "schemas/progress.pb.h"
#include "schemas/summary.pb.h"

namespace tend::tendctl {
namespace {

using Clock = std::chrono::steady_clock;
constexpr uint32_t kCoordinatorDefaultTimeoutS = 300;
constexpr auto kReplyMargin = std::chrono::seconds(15);

// Shows TALLY progress as it arrives: redrawn in place on a terminal, one
// plain line per update otherwise, nothing at all for --json.
class ProgressView {
 public:
  enum class Mode { kTerminal, kLines, kSilent };
  explicit ProgressView(Mode mode) : mode_(mode) {}

  void show(const tend::Progress& tally) {
    std::lock_guard lock(mu_);
    if (mode_ == Mode::kTerminal) {
      std::cout << "\r\x1b[K" << progress_line(tally) << std::flush;
      drawn_ = true;
    } else if (mode_ == Mode::kLines) {
      std::cout << "progress: " << tally.responded() << "/" << tally.expected() << " responded, "
                << tally.failed() << " failed\n"
                << std::flush;
    }
  }
  void clear() {
    std::lock_guard lock(mu_);
    if (drawn_) std::cout << "\r\x1b[K" << std::flush;
    mode_ = Mode::kSilent;
  }

 private:
  std::mutex mu_;
  Mode mode_;
  bool drawn_ = false;
};

}  // namespace

int run_task(const GlobalOptions& options, const RunArguments& args, bool json) {
  auto task = build_task(args);
  if (!task) {
    std::cerr << "tendctl: " << task.error().message << "\n";
    return kUsageError;
  }
  auto session = Session::open(options);
  if (!session) return kUnreachable;
  task->set_id(new_task_id());

  bool terminal = isatty(STDOUT_FILENO);
  ProgressView view(json       ? ProgressView::Mode::kSilent
                    : terminal ? ProgressView::Mode::kTerminal
                               : ProgressView::Mode::kLines);
  auto progress =
      session->conn().subscribe(session->subjects().progress(task->id()), [&view](Message msg) {
        tend::Progress tally;
        if (msg.decode(tally) && tally.kind() == tend::Progress::TALLY) view.show(tally);
      });
  if (progress) (void)session->conn().flush(std::chrono::seconds(2));

  auto started = Clock::now();
  auto timeout =
      std::chrono::seconds(task->timeout_s() ? task->timeout_s() : kCoordinatorDefaultTimeoutS) +
      kReplyMargin;
  auto reply = session->ask(session->subjects().submit(), *task, timeout);
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  view.clear();
  if (progress) progress->reset();

  if (!reply) {
    std::cerr << "tendctl: " << reply.error().message << "\n";
    return kUnreachable;
  }
  if (std::string refused = refusal_in(*reply); !refused.empty()) {
    std::cerr << "tendctl: the coordinator refused the task: " << refused << "\n";
    return kUsageError;
  }
  tend::Summary summary;
  if (auto ok = reply->decode(summary); !ok) {
    std::cerr << "tendctl: unreadable answer from the coordinator: " << ok.error().message << "\n";
    return kUnreachable;
  }
  if (json) {
    std::cout << to_json(summary) << "\n";
  } else {
    std::cout << render_summary(summary, wall, terminal);
  }
  return exit_code_for(summary);
}

}  // namespace tend::tendctl
