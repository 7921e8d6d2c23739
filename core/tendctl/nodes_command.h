// `tendctl nodes`: the coordinator's registry, asked on tend.nodes.
#pragma once

#include <optional>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"
#include "schemas/heartbeat.pb.h"

namespace tend::tendctl {

// `json`: the NodeList as JSON on stdout and nothing else there. Exit 0, or 4
// when NATS or the coordinator cannot be reached or cannot serve it.
int list_nodes(const GlobalOptions& options, bool json);

// The registry as the coordinator has it; also read by `tendctl plugins`.
Expected<tend::NodeList> fetch_nodes(Session& session);

// Connects and fetches the registry; on failure prints why and gives nothing
// (the caller exits kUnreachable).
std::optional<tend::NodeList> registry_or_complain(const GlobalOptions& options);

void add_nodes_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
