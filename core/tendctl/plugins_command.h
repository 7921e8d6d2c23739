// `tendctl plugins [--host H] [NAME]`: what plugins the fleet offers, read
// from the heartbeats in the coordinator's registry; with NAME, its help.
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"
#include "schemas/heartbeat.pb.h"

namespace tend::tendctl {

// Exit 0; 1 when nothing matches; 4 when the registry cannot be read.
int list_plugins(const GlobalOptions& options, const std::string& host, const std::string& name);

// Pure rendering, for tests. `host` and `name` narrow the list when not empty;
// "" when nothing matches.
std::string render_plugin_list(const tend::NodeList& nodes, const std::string& host);
std::string render_plugin_help(const tend::NodeList& nodes, const std::string& host,
                               const std::string& name);

void add_plugins_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
