#include "core/tendctl/control_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>

#include "bus/names.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/operator_name.h"
#include "schemas/control.pb.h"

namespace tend::tendctl {
namespace {

// Agents answer within milliseconds; "all" cannot know how many will, so it
// listens this long.
constexpr auto kListen = std::chrono::seconds(2);

// What pause, resume and reload read from the command line (one of them is given).
struct ControlCommand {
  std::vector<std::string> hosts;
  bool all = false;
  std::string reason;
};

}  // namespace

int control_agents(const GlobalOptions& options, const std::string& action,
                   const std::vector<std::string>& hosts, bool all, const std::string& reason) {
  if (hosts.empty() && !all) {
    std::cerr << "error: say which agents: --host H (repeatable) or --all\n";
    return kUsageError;
  }
  for (const auto& h : hosts) {
    if (auto ok = check_name("host", h); !ok) {
      std::cerr << "error: " << ok.error().message << "\n";
      return kUsageError;
    }
  }
  auto opened = Session::open(options);
  if (!opened) {
    std::cerr << "error: " << opened.error().message << "\n";
    return kUnreachable;
  }
  Session& session = **opened;

  tend::Control control;
  control.set_action(action);
  control.set_by(operator_name());
  control.set_reason(reason);

  std::mutex mu;
  std::condition_variable cv;
  std::vector<tend::ControlReply> replies;
  std::string inbox = session.conn().new_inbox();
  auto sub = session.conn().subscribe(inbox, [&](Message msg) {
    tend::ControlReply reply;
    if (!msg.decode(reply)) return;
    std::lock_guard lock(mu);
    replies.push_back(reply);
    cv.notify_all();
  });
  if (!sub) {
    std::cerr << "error: " << sub.error().message << "\n";
    return kUnreachable;
  }
  (void)session.conn().flush(std::chrono::seconds(2));
  std::vector<std::string> subjects;
  if (all) subjects.push_back(session.subjects().control_all());
  for (const auto& h : hosts) subjects.push_back(session.subjects().control(h));
  for (const auto& subject : subjects) {
    (void)session.conn().publish(subject, control, Encoding::kProtobuf, inbox);
  }
  {
    std::unique_lock lock(mu);
    cv.wait_for(lock, kListen, [&] { return !all && replies.size() >= hosts.size(); });
  }
  sub->reset();

  std::lock_guard lock(mu);
  int code = kAllSucceeded;
  for (const auto& r : replies) {
    std::cout << fmt::format("{}: {}{}\n", r.host(), r.ok() ? "" : "FAILED: ", r.message());
    if (!r.ok()) code = kSomeFailed;
  }
  for (const auto& h : hosts) {
    bool answered = std::any_of(replies.begin(), replies.end(),
                                [&](const tend::ControlReply& r) { return r.host() == h; });
    if (!answered) {
      std::cout << fmt::format("{}: no answer (agent down or not connected)\n", h);
      code = kSomeMissing;
    }
  }
  if (all && replies.empty()) {
    std::cout << "no agent answered\n";
    code = kSomeMissing;
  }
  return code;
}

void add_control_commands(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<ControlCommand>();
  for (std::string action : {"pause", "resume", "reload"}) {
    auto* c = app.add_subcommand(action, action == "pause" ? "pause agents: they reject new tasks"
                                         : action == "resume" ? "resume paused agents"
                                                              : "agents re-read their plugins");
    c->add_option("--host", cmd->hosts, "agent host (repeatable)")->allow_extra_args(false);
    c->add_flag("--all", cmd->all, "every agent");
    c->add_option("--reason", cmd->reason, "why, for the log");
    commands.on(c, [cmd, action](const GlobalOptions& global) {
      return control_agents(global, action, cmd->hosts, cmd->all, cmd->reason);
    });
  }
}

}  // namespace tend::tendctl
