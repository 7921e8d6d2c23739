#include "core/tendctl/kb_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

Cell tier_cell(const tend::KbEntry& e) {
  std::string text = e.tier();
  if (!e.override().empty()) text += " (set by " + e.override_by() + ")";
  if (e.tier() == "run") return {text, "32"};
  if (e.tier() == "approval") return {text, "33"};
  return {text, "31"};
}

std::string last(const tend::KbEntry& e, int64_t now) {
  if (e.last_outcome().empty()) return "-";
  return fmt::format("{} {}", e.last_outcome(), age_text(now - e.last_at().seconds()));
}

}  // namespace

std::string render_kb(const tend::KbList& list, int64_t now_unix_s, bool colour) {
  if (list.entries_size() == 0) return "the knowledge base is empty: no alert has come yet\n";
  std::vector<const tend::KbEntry*> sorted;
  for (const auto& e : list.entries()) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return std::tie(a->pattern(), a->plugin()) < std::tie(b->pattern(), b->plugin());
  });
  TextTable table(
      {"PATTERN", "PLUGIN", "CONFIDENCE", "TIER", "SEEN", "FIXES", "VERIFIED", "FAILED", "LAST"},
      {Align::kLeft, Align::kLeft, Align::kRight, Align::kLeft, Align::kRight, Align::kRight,
       Align::kRight, Align::kRight});
  for (const auto* e : sorted) {
    table.add_row({{e->pattern()},
                   {e->plugin().empty() ? "(no route)" : e->plugin()},
                   {e->plugin().empty() ? "-" : fmt::format("{:.0f}%", e->confidence() * 100)},
                   tier_cell(*e),
                   {std::to_string(e->occurrences())},
                   {std::to_string(e->attempts())},
                   {std::to_string(e->successes())},
                   {std::to_string(e->failures())},
                   {last(*e, now_unix_s)}});
  }
  return table.render(colour);
}

}  // namespace tend::tendctl
