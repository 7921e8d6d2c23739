#include "core/tendctl/report_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include "bus/codec.h"
#include "core/tendctl/coordinator_reply.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/progress_bar.h"
#include "schemas/progress.pb.h"
#include "schemas/report.pb.h"
#include "schemas/schedule.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(10);

void print_error(std::string_view message) { std::cerr << "error: " << message << "\n"; }

template <typename Answer>
Expected<Answer> ask_runs(Session& session, const std::string& what, const tend::RunRequest& req) {
  auto reply = session.ask(session.subjects().runs_request(what), req, kRequestTimeout);
  if (!reply) return reply.error();
  if (auto reason = refusal_in(reply->data(), reply->encoding())) return make_error(*reason);
  Answer answer;
  if (auto ok = reply->decode(answer); !ok) {
    return make_error("the coordinator's answer cannot be read (" + ok.error().message + ")");
  }
  return answer;
}

int exit_code_of(const tend::MaintenanceReport& report) {
  if (report.state() == "missed" || report.skipped() > 0) return kSomeMissing;
  return report.needs_attention() > 0 ? kSomeFailed : kAllSucceeded;
}

struct ReportCommand {
  std::string run_id;
  bool last = false;
  bool json = false;
};

}  // namespace

int show_report(const GlobalOptions& options, const std::string& run_id, bool last, bool json) {
  if (run_id.empty() && !last) {
    print_error("which run? give its id, or --last for the newest report");
    return kUsageError;
  }
  auto session = Session::open(options);
  if (!session) {
    print_error(session.error().message);
    return kUnreachable;
  }
  tend::RunRequest req;
  req.set_run_id(run_id);
  req.set_last(run_id.empty());
  auto report = ask_runs<tend::MaintenanceReport>(**session, "report", req);
  if (!report) {
    print_error(report.error().message);
    return kUsageError;
  }
  std::cout << (json ? to_json(*report) + "\n" : report->markdown());
  return exit_code_of(*report);
}

int watch_run(const GlobalOptions& options, const std::string& run_id) {
  auto session = Session::open(options);
  if (!session) {
    print_error(session.error().message);
    return kUnreachable;
  }
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  std::mutex mu;
  std::condition_variable changed;
  std::optional<tend::Progress> latest;
  auto show = [&](const tend::Progress& p) {
    std::lock_guard lock(mu);
    if (terminal) {
      std::cout << "\r\033[K" << progress_bar_line(p) << "  " << p.text() << std::flush;
    } else {
      std::cout << p.text() << std::endl;
    }
    latest = p;
    changed.notify_all();
  };
  // Subscribed before the status is asked for, so nothing falls in between.
  auto sub =
      (*session)->conn().subscribe((*session)->subjects().progress(run_id), [&](Message msg) {
        tend::Progress p;
        if (msg.decode(p) && p.kind() == tend::Progress::TALLY) show(p);
      });
  if (!sub) {
    print_error(sub.error().message);
    return kUnreachable;
  }
  (void)(*session)->conn().flush(std::chrono::seconds(2));
  tend::RunRequest req;
  req.set_run_id(run_id);
  auto status = ask_runs<tend::Progress>(**session, "status", req);
  if (!status) {
    print_error(status.error().message);
    return kUsageError;
  }
  show(*status);
  // Progress comes as batches end; the status is asked again now and then,
  // in case the coordinator running it went away.
  for (;;) {
    {
      std::unique_lock lock(mu);
      if (changed.wait_for(lock, std::chrono::seconds(15),
                           [&] { return latest && latest->finished(); })) {
        break;
      }
    }
    if (auto again = ask_runs<tend::Progress>(**session, "status", req);
        again && again->finished()) {
      show(*again);
      break;
    }
  }
  sub->reset();
  if (terminal) std::cout << "\n";
  return show_report(options, run_id, false, false);
}

void add_report_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<ReportCommand>();
  auto* report = app.add_subcommand("report", "a maintenance run's report");
  report->add_option("run_id", cmd->run_id, "the run (tendctl schedule show lists them)");
  report->add_flag("--last", cmd->last, "the newest report");
  report->add_flag("--json", cmd->json, "the MaintenanceReport as JSON");
  commands.on(report, [cmd](const GlobalOptions& global) {
    return show_report(global, cmd->run_id, cmd->last, cmd->json);
  });
}

void add_watch_command(CLI::App& app, CommandSet& commands) {
  auto run_id = std::make_shared<std::string>();
  auto* watch = app.add_subcommand("watch", "follow a maintenance run with a progress bar");
  watch->add_option("run_id", *run_id, "the run")->required();
  commands.on(watch, [run_id](const GlobalOptions& global) { return watch_run(global, *run_id); });
}

}  // namespace tend::tendctl
