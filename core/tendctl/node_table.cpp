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

// Names would make the table unreadably wide; `tendctl plugins` lists them.
std::string plugin_count(const tend::Heartbeat& hb) {
  return hb.plugins().empty() ? "-" : std::to_string(hb.plugins_size());
}

// The fullest filesystem, in the colours an on-call engineer scans for.
Cell disk_cell(const tend::Heartbeat& hb) {
  if (!hb.has_health() || hb.health().mounts().empty()) return {"-"};
  const tend::MountHealth* fullest = &hb.health().mounts(0);
  for (const auto& m : hb.health().mounts()) {
    if (m.used_percent() > fullest->used_percent()) fullest = &m;
  }
  std::string text = fmt::format("{}% {}", fullest->used_percent(), fullest->mount());
  if (fullest->used_percent() >= 90) return {text, "31"};
  if (fullest->used_percent() >= 80) return {text, "33"};
  return {text};
}

std::string memory_text(const tend::Heartbeat& hb) {
  if (!hb.has_health() || hb.health().mem_total_bytes() == 0) return "-";
  return fmt::format("{}%", hb.health().mem_used_percent());
}

std::string load_text(const tend::Heartbeat& hb) {
  if (!hb.has_health() || hb.health().cpus() == 0) return "-";
  return fmt::format("{:.2f}", hb.health().load1());
}

Cell failed_units_cell(const tend::Heartbeat& hb) {
  if (!hb.has_health() || !hb.health().systemd_running()) return {"-"};
  int failed = hb.health().failed_units_size();
  if (failed == 0) return {"0"};
  return {fmt::format("{} ({})", failed, fmt::join(hb.health().failed_units(), ",")), "31"};
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
  TextTable table({"HOST", "ROLE", "TAGS", "PLUGINS", "DISK", "MEM", "LOAD", "FAILED-UNITS",
                   "LAST-HEARTBEAT", "ONLINE"});
  int online = 0;
  for (const auto* node : sorted) {
    const auto& hb = node->last_heartbeat();
    online += node->online() ? 1 : 0;
    table.add_row({{hb.host()},
                   {or_dash(hb.role())},
                   {or_dash(fmt::format("{}", fmt::join(hb.tags(), ",")))},
                   {plugin_count(hb)},
                   disk_cell(hb),
                   {memory_text(hb)},
                   {load_text(hb)},
                   failed_units_cell(hb),
                   {last_heartbeat(*node, now_unix_s)},
                   online_cell(*node)});
  }
  const int count = nodes.nodes_size();
  return table.render(colour) +
         fmt::format("{} node{}, {} online\n", count, count == 1 ? "" : "s", online);
}

}  // namespace tend::tendctl
