#include "core/tendctl/nodes_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "bus/codec.h"
#include "core/tendctl/coordinator_reply.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/node_table.h"

namespace tend::tendctl {
namespace {

// The coordinator answers from memory: seconds mean it is stuck.
constexpr auto kRegistryTimeout = std::chrono::seconds(5);

}  // namespace

Expected<tend::NodeList> fetch_nodes(Session& session) {
  const std::string subject = session.subjects().nodes();
  auto reply = session.ask(subject, tend::NodeList(), kRegistryTimeout,
                           "is tend-coordinator overloaded or stuck? Its log says more");
  if (!reply) return reply.error();
  if (auto reason = refusal_in(reply->data(), reply->encoding())) {
    return make_error("the coordinator cannot list nodes: " + *reason);
  }
  tend::NodeList nodes;
  if (auto ok = reply->decode(nodes); !ok) {
    return make_error("the coordinator's answer on " + subject + " cannot be read (" +
                      ok.error().message + "): are tendctl and tend-coordinator the same version?");
  }
  return nodes;
}

std::optional<tend::NodeList> registry_or_complain(const GlobalOptions& options) {
  auto session = Session::open(options);
  if (!session) {
    std::cerr << "error: " << session.error().message << "\n";
    return std::nullopt;
  }
  auto nodes = fetch_nodes(**session);
  if (!nodes) {
    std::cerr << "error: " << nodes.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*nodes);
}

int list_nodes(const GlobalOptions& options, bool json) {
  auto nodes = registry_or_complain(options);
  if (!nodes) return kUnreachable;
  const bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  std::cout << (json ? to_json(*nodes) + "\n" : render_nodes(*nodes, std::time(nullptr), colour));
  return kAllSucceeded;
}

void add_nodes_command(CLI::App& app, CommandSet& commands) {
  auto json = std::make_shared<bool>(false);
  auto* nodes = app.add_subcommand("nodes", "list the nodes the coordinator knows");
  nodes->add_flag("--json", *json, "print the NodeList as JSON and nothing else");
  commands.on(nodes, [json](const GlobalOptions& global) { return list_nodes(global, *json); });
}

}  // namespace tend::tendctl
