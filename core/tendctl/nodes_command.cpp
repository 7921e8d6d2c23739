#include "core/tendctl/nodes_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <ctime>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "bus/codec.h"
#include "core/tendctl/exit_codes.h"

namespace tend::tendctl {
namespace {

constexpr auto kRegistryTimeout = std::chrono::seconds(5);

std::string age(int64_t seconds) {
  if (seconds < 0) seconds = 0;
  if (seconds < 120) return fmt::format("{}s ago", seconds);
  if (seconds < 7200) return fmt::format("{}m ago", seconds / 60);
  return fmt::format("{}h ago", seconds / 3600);
}

Expected<tend::NodeList> fetch_nodes(Session& session);

// The registry as the coordinator has it, or nothing after saying why.
std::optional<tend::NodeList> registry(const GlobalOptions& options) {
  auto session = Session::open(options);
  if (!session) return std::nullopt;
  auto nodes = fetch_nodes(*session);
  if (!nodes) {
    std::cerr << "tendctl: " << nodes.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*nodes);
}

Expected<tend::NodeList> fetch_nodes(Session& session) {
  auto reply = session.ask(session.subjects().nodes(), tend::NodeList(), kRegistryTimeout);
  if (!reply) return reply.error();
  if (std::string refused = refusal_in(*reply); !refused.empty()) return make_error(refused);
  tend::NodeList nodes;
  if (auto ok = reply->decode(nodes); !ok) return ok.error();
  std::sort(nodes.mutable_nodes()->begin(), nodes.mutable_nodes()->end(),
            [](const tend::Node& a, const tend::Node& b) {
              return a.last_heartbeat().host() < b.last_heartbeat().host();
            });
  return nodes;
}

}  // namespace

std::string render_nodes(const tend::NodeList& nodes, int64_t now_unix_s) {
  struct Row {
    std::string host, role, tags, plugins, seen, online;
  };
  std::vector<Row> rows{{"HOST", "ROLE", "TAGS", "PLUGINS", "LAST-HEARTBEAT", "ONLINE"}};
  int online = 0;
  for (const auto& node : nodes.nodes()) {
    const auto& hb = node.last_heartbeat();
    std::vector<std::string> plugins;
    for (const auto& p : hb.plugins()) plugins.push_back(p.name());
    online += node.online();
    rows.push_back({hb.host(), hb.role(), fmt::format("{}", fmt::join(hb.tags(), ",")),
                    fmt::format("{}", fmt::join(plugins, ",")),
                    age(now_unix_s - node.last_seen().seconds()),
                    std::string(node.online() ? "yes" : "no") + (hb.paused() ? " (paused)" : "")});
  }
  size_t w[5] = {0, 0, 0, 0, 0};
  for (const auto& r : rows) {
    w[0] = std::max(w[0], r.host.size());
    w[1] = std::max(w[1], r.role.size());
    w[2] = std::max(w[2], r.tags.size());
    w[3] = std::max(w[3], r.plugins.size());
    w[4] = std::max(w[4], r.seen.size());
  }
  std::string out;
  for (const auto& r : rows) {
    out += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", r.host, w[0], r.role, w[1],
                       r.tags, w[2], r.plugins, w[3], r.seen, w[4], r.online);
  }
  out += fmt::format("{} nodes, {} online\n", nodes.nodes_size(), online);
  return out;
}

std::string render_plugin_help(const tend::PluginInfo& p) {
  std::string out =
      fmt::format("{} {} — {}\n  risk: {}\n", p.name(), p.version(), p.description(), p.risk());
  std::vector<std::string> supports;
  if (p.supports_dry_run()) supports.push_back("dry-run");
  if (p.supports_verify()) supports.push_back("verify");
  if (p.supports_rollback()) supports.push_back("rollback");
  out += fmt::format("  supports: {}\n",
                     supports.empty() ? "-" : fmt::format("{}", fmt::join(supports, ", ")));
  out += p.params().empty() ? "  params: none\n" : "  params:\n";
  for (const auto& param : p.params()) {
    std::string extra;
    if (param.required()) extra += ", required";
    if (param.has_default()) extra += fmt::format(", default {}", param.default_value());
    if (!param.allowed_values().empty())
      extra += fmt::format(", one of {}", param.allowed_values());
    if (!param.pattern().empty()) extra += fmt::format(", matching {}", param.pattern());
    out += fmt::format("    {} ({}{}){}{}\n", param.name(), param.type(), extra,
                       param.help().empty() ? "" : ": ", param.help());
  }
  return out;
}

int list_nodes(const GlobalOptions& options, bool json) {
  auto nodes = registry(options);
  if (!nodes) return kUnreachable;
  std::cout << (json ? to_json(*nodes) + "\n" : render_nodes(*nodes, std::time(nullptr)));
  return kAllSucceeded;
}

int list_plugins(const GlobalOptions& options, const std::string& host, const std::string& name) {
  auto nodes = registry(options);
  if (!nodes) return kUnreachable;
  // One entry per name and version, with the hosts that offer it.
  std::map<std::pair<std::string, std::string>, std::pair<tend::PluginInfo, std::set<std::string>>>
      offered;
  for (const auto& node : nodes->nodes()) {
    const auto& hb = node.last_heartbeat();
    if (!host.empty() && hb.host() != host) continue;
    for (const auto& p : hb.plugins()) {
      auto& entry = offered[{p.name(), p.version()}];
      entry.first = p;
      entry.second.insert(hb.host());
    }
  }
  bool found = false;
  for (const auto& [key, entry] : offered) {
    if (!name.empty() && key.first != name) continue;
    found = true;
    if (name.empty()) {
      std::cout << fmt::format("{:<18} {:<10} {:<7} {}  ({} host(s))\n", key.first, key.second,
                               entry.first.risk(), entry.first.description(), entry.second.size());
    } else {
      std::cout << render_plugin_help(entry.first)
                << fmt::format("  on: {}\n", fmt::join(entry.second, ", "));
    }
  }
  if (!found) {
    std::cerr << "tendctl: "
              << (name.empty() ? "no plugins reported" : "no node offers plugin '" + name + "'")
              << (host.empty() ? "" : " on " + host) << "\n";
    return kSomeFailed;
  }
  return kAllSucceeded;
}

}  // namespace tend::tendctl
