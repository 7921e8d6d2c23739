#include "core/tendctl/node_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

// An empty cell would shift the eye to the next column.
std::string or_dash(std::string text) { return text.empty() ? "-" : text; }

std::string plugin_names(const tend::Heartbeat& hb) {
  std::vector<std::string> names;
  for (const auto& p : hb.plugins()) names.push_back(p.name());
  return or_dash(fmt::format("{}", fmt::join(names, ",")));
}

std::string last_heartbeat(const tend::Node& node, int64_t now_unix_s) {
  if (!node.has_last_seen() || node.last_seen().seconds() == 0) return "never";
  return age_text(now_unix_s - node.last_seen().seconds());
}

Cell online_cell(const tend::Node& node) {
  if (!node.online()) return {"no", "31"};
  // Paused agents answer heartbeats but reject tasks: worth seeing here.
  if (node.last_heartbeat().paused()) return {"yes (paused)", "33"};
  return {"yes", "32"};
}

}  // namespace

std::string render_nodes(const tend::NodeList& nodes, int64_t now_unix_s, bool colour) {
  std::vector<const tend::Node*> sorted;
  for (const auto& node : nodes.nodes()) sorted.push_back(&node);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return a->last_heartbeat().host() < b->last_heartbeat().host();
  });
  TextTable table({"HOST", "ROLE", "TAGS", "PLUGINS", "LAST-HEARTBEAT", "ONLINE"});
  int online = 0;
  for (const auto* node : sorted) {
    const auto& hb = node->last_heartbeat();
    online += node->online() ? 1 : 0;
    table.add_row({{hb.host()},
                   {or_dash(hb.role())},
                   {or_dash(fmt::format("{}", fmt::join(hb.tags(), ",")))},
                   {plugin_names(hb)},
                   {last_heartbeat(*node, now_unix_s)},
                   online_cell(*node)});
  }
  const int count = nodes.nodes_size();
  return table.render(colour) +
         fmt::format("{} node{}, {} online\n", count, count == 1 ? "" : "s", online);
}

}  // namespace tend::tendctl
