#include "core/tendctl/run_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "bus/codec.h"
#include "core/common/task_id.h"
#include "core/tendctl/coordinator_reply.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/limit_choice.h"
#include "core/tendctl/nodes_command.h"
#include "core/tendctl/operator_name.h"
#include "core/tendctl/param_text.h"
#include "core/tendctl/progress_view.h"
#include "core/tendctl/result_table.h"
#include "schemas/progress.pb.h"

namespace tend::tendctl {
namespace {

using Clock = std::chrono::steady_clock;

// What tend-coordinator uses when a task gives no timeout_s ([tasks]
// default_timeout_s). A coordinator configured for longer makes tendctl give
// up early; the error then says where the summary will still appear.
constexpr std::chrono::seconds kCoordinatorDefaultTimeout{300};
constexpr std::chrono::seconds kReplyMargin{10};

void print_error(std::string_view message) { std::cerr << "error: " << message << "\n"; }

ProgressView::Mode progress_mode(bool json, bool terminal) {
  if (json) return ProgressView::Mode::kSilent;
  return terminal ? ProgressView::Mode::kBar : ProgressView::Mode::kLines;
}

// Subscribed before the task is submitted, so not even the first tally is
// missed. Without it the task still runs; only the live view is lost.
std::unique_ptr<Subscription> watch_progress(Session& session, const std::string& task_id,
                                             ProgressView& view) {
  auto sub = session.conn().subscribe(session.subjects().progress(task_id), [&view](Message msg) {
    tend::Progress progress;
    if (msg.decode(progress)) view.show(progress);
  });
  if (!sub) return nullptr;
  // The server must know of the subscription before the coordinator publishes.
  (void)session.conn().flush(std::chrono::seconds(2));
  return std::move(*sub);
}

int print_outcome(const SubmitReply& reply, std::chrono::milliseconds wall, bool json,
                  bool colour) {
  switch (reply.kind) {
    case SubmitReply::Kind::kRefused:
      print_error(reply.reason);
      return kUsageError;
    case SubmitReply::Kind::kUnreadable:
      print_error("the coordinator's answer to the task cannot be read (" + reply.reason +
                  "): are tendctl and tend-coordinator the same version?");
      return kUnreachable;
    case SubmitReply::Kind::kSummary:
      break;
  }
  std::cout << (json ? to_json(reply.summary) + "\n" : render_summary(reply.summary, wall, colour));
  return exit_code_for(reply.summary);
}

// What `tendctl run` reads from its command line.
struct RunCommand {
  RunArguments args;
  bool json = false;
};

}  // namespace

std::chrono::milliseconds reply_timeout_for(const tend::Task& task) {
  std::chrono::seconds deadline =
      task.timeout_s() > 0 ? std::chrono::seconds(task.timeout_s()) : kCoordinatorDefaultTimeout;
  return deadline + kReplyMargin;
}

int run_task(const GlobalOptions& options, const RunArguments& args, bool json) {
  auto task = build_task(args);
  if (!task) {
    print_error(task.error().message);
    return kUsageError;
  }
  task->set_id(new_task_id());
  auto session = Session::open(options);
  if (!session) {
    print_error(session.error().message);
    return kUnreachable;
  }
  if (!args.limit.empty()) {
    auto nodes = fetch_nodes(**session);
    if (!nodes) {
      print_error(nodes.error().message);
      return kUnreachable;
    }
    auto choice = choose_limited(*nodes, task->target(), args.limit, args.seed);
    if (!choice) {
      print_error(choice.error().message);
      return kUsageError;
    }
    // On stderr: with --json, stdout holds the Summary and nothing else.
    std::cerr << describe_choice(*choice, args.limit) << "\n";
    if (choice->hosts.empty()) {
      print_error("no online host matches the target: nothing to run");
      return kSomeMissing;
    }
    task->clear_target();
    for (const auto& host : choice->hosts) task->mutable_target()->add_hosts(host);
  }
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  ProgressView view(progress_mode(json, terminal), std::cout);
  auto progress = watch_progress(**session, task->id(), view);

  const auto started = Clock::now();
  view.submitted(task->id());
  auto reply = (*session)->ask(
      (*session)->subjects().submit(), *task, reply_timeout_for(*task),
      fmt::format("task {} may still be running; its summary will be published on {}", task->id(),
                  (*session)->subjects().summary(task->id())));
  const auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  // Unsubscribing drains: every tally that came before the summary is shown
  // before the bar is wiped.
  progress.reset();
  view.finish();

  if (!reply) {
    print_error(reply.error().message);
    return kUnreachable;
  }
  const bool colour = terminal && std::getenv("NO_COLOR") == nullptr;
  return print_outcome(classify_reply(reply->data(), reply->encoding()), wall, json, colour);
}

void add_run_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<RunCommand>();
  RunArguments& args = cmd->args;
  auto* run = app.add_subcommand("run", "run a plugin on the matching nodes and summarise");
  run->footer(std::string(kParamHelp) + "\n\n" + kExitCodesHelp);
  run->add_option("--host", args.hosts, "target host (repeatable)")->allow_extra_args(false);
  run->add_option("--role", args.roles, "target role (repeatable)")->allow_extra_args(false);
  run->add_option("--tag", args.tags, "target tag (repeatable)")->allow_extra_args(false);
  run->add_flag("--all", args.all, "every node");
  run->add_flag("--dry-run", args.dry_run, "report what would change, change nothing");
  run->add_flag("--force", args.force,
                "run even outside the nodes' [maintenance] windows (needs --approved-by)");
  run->add_option("--approved-by", args.approved_by, "who approved the task, for the audit");
  run->add_option("--timeout", args.timeout,
                  "per-node deadline, e.g. 90s, 5m (default: the coordinator's, 5m)");
  run->add_option("--reason", args.reason, "why, for the audit trail");
  run->add_flag("--json", cmd->json, "print the Summary as JSON and nothing else");
  run->add_option("--limit", args.limit,
                  "only a random subset of the matching online nodes: N hosts or N%");
  run->add_option("--seed", args.seed, "with --limit: choose the same subset as before");
  run->add_option("plugin", args.plugin, "plugin name")->required();
  run->add_option("params", args.params, "plugin parameters: key=value ...");
  commands.on(run, [cmd](const GlobalOptions& global) {
    if (cmd->args.seed && cmd->args.limit.empty()) {
      print_error("--seed chooses a --limit subset: give --limit too");
      return kUsageError;
    }
    cmd->args.requested_by = operator_name();
    return run_task(global, cmd->args, cmd->json);
  });
}

}  // namespace tend::tendctl
