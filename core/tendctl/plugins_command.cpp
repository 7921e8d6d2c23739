#include "core/tendctl/plugins_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <set>

#include "core/tendctl/exit_codes.h"
#include "core/tendctl/nodes_command.h"
#include "core/tendctl/text_table.h"

namespace tend::tendctl {
namespace {

struct Offered {
  tend::PluginInfo info;
  std::set<std::string> hosts;
};

// One entry per name and version: a fleet half-way through an upgrade shows
// both, each with the hosts that have it.
using Catalog = std::map<std::pair<std::string, std::string>, Offered>;

Catalog catalog_of(const tend::NodeList& nodes, const std::string& host) {
  Catalog catalog;
  for (const auto& node : nodes.nodes()) {
    const auto& hb = node.last_heartbeat();
    if (!host.empty() && hb.host() != host) continue;
    for (const auto& p : hb.plugins()) {
      auto& entry = catalog[{p.name(), p.version()}];
      entry.info = p;
      entry.hosts.insert(hb.host());
    }
  }
  return catalog;
}

std::string param_line(const tend::ParamInfo& param) {
  std::string extra;
  if (param.required()) extra += ", required";
  if (param.has_default()) extra += fmt::format(", default {}", param.default_value());
  if (!param.allowed_values().empty()) extra += fmt::format(", one of {}", param.allowed_values());
  if (!param.pattern().empty()) extra += fmt::format(", matching {}", param.pattern());
  return fmt::format("    {} ({}{}){}{}\n", param.name(), param.type(), extra,
                     param.help().empty() ? "" : ": ", param.help());
}

std::string help_of(const Offered& offered) {
  const auto& p = offered.info;
  std::string out =
      fmt::format("{} {} - {}\n  risk: {}\n", p.name(), p.version(), p.description(), p.risk());
  std::vector<std::string> supports;
  if (p.supports_dry_run()) supports.push_back("dry-run");
  if (p.supports_verify()) supports.push_back("verify");
  if (p.supports_rollback()) supports.push_back("rollback");
  out += fmt::format("  supports: {}\n",
                     supports.empty() ? "-" : fmt::format("{}", fmt::join(supports, ", ")));
  out += p.params().empty() ? "  params: none\n" : "  params:\n";
  for (const auto& param : p.params()) out += param_line(param);
  return out + fmt::format("  on: {}\n", fmt::join(offered.hosts, ", "));
}

struct PluginsCommand {
  std::string host, name;
};

}  // namespace

std::string render_plugin_list(const tend::NodeList& nodes, const std::string& host) {
  Catalog catalog = catalog_of(nodes, host);
  if (catalog.empty()) return "";
  TextTable table({"PLUGIN", "VERSION", "RISK", "HOSTS", "DESCRIPTION"},
                  {Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight});
  for (const auto& [key, offered] : catalog) {
    table.add_row({{key.first},
                   {key.second},
                   {offered.info.risk()},
                   {std::to_string(offered.hosts.size())},
                   {offered.info.description()}});
  }
  return table.render(false);
}

std::string render_plugin_help(const tend::NodeList& nodes, const std::string& host,
                               const std::string& name) {
  std::string out;
  for (const auto& [key, offered] : catalog_of(nodes, host)) {
    if (key.first == name) out += help_of(offered);
  }
  return out;
}

int list_plugins(const GlobalOptions& options, const std::string& host, const std::string& name) {
  auto nodes = registry_or_complain(options);
  if (!nodes) return kUnreachable;
  std::string out =
      name.empty() ? render_plugin_list(*nodes, host) : render_plugin_help(*nodes, host, name);
  if (out.empty()) {
    std::string where = host.empty() ? "" : " on " + host;
    std::cerr << "error: "
              << (name.empty() ? "no node reports any plugin" + where
                               : "no node" + where + " offers plugin '" + name +
                                     "': `tendctl plugins` lists what there is")
              << "\n";
    return kSomeFailed;
  }
  std::cout << out;
  return kAllSucceeded;
}

void add_plugins_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<PluginsCommand>();
  auto* plugins = app.add_subcommand("plugins", "list the fleet's plugins, or show one's help");
  plugins->add_option("--host", cmd->host, "only this node's plugins");
  plugins->add_option("name", cmd->name, "a plugin to show in full");
  commands.on(plugins, [cmd](const GlobalOptions& global) {
    return list_plugins(global, cmd->host, cmd->name);
  });
}

}  // namespace tend::tendctl
