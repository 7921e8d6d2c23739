// `tendctl nodes` and `tendctl plugins`: what the coordinator's registry knows.
#pragma once

#include <string>

#include "core/tendctl/session.h"
#include "schemas/heartbeat.pb.h"

namespace tend::tendctl {

int list_nodes(const GlobalOptions& options, bool json);

// Every plugin the fleet offers, or one plugin's help; `host` narrows to one node.
int list_plugins(const GlobalOptions& options, const std::string& host, const std::string& name);

// Pure rendering, for tests.
std::string render_nodes(const tend::NodeList& nodes, int64_t now_unix_s);
std::string render_plugin_help(const tend::PluginInfo& plugin);

}  // namespace tend::tendctl
