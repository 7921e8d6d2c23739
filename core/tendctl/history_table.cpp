#include "core/tendctl/history_table.h"

#include <fmt/format.h>

#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

constexpr size_t kOutcomeWidth = 100;

const char* outcome_colour(const tend::TaskSummaryRow& row) {
  if (row.failed() > 0) return "31";                           // red
  if (!row.has_finished_at() || !row.complete()) return "33";  // yellow
  return row.expected() > 0 ? "32" : "33";                     // green; nobody: yellow
}

std::string cut(std::string text, size_t width) {
  text = text.substr(0, text.find('\n'));
  if (text.size() > width) text = text.substr(0, width - 3) + "...";
  return text;
}

}  // namespace

std::string outcome_line(const tend::TaskSummaryRow& row) {
  std::string line = row.has_finished_at() ? row.text()
                                           : fmt::format("in flight: {}/{} answered",
                                                         row.responded(), row.expected());
  return row.dry_run() ? "dry run: " + line : line;
}

std::string target_text(const tend::TaskSummaryRow& row) {
  constexpr std::string_view kPrefix = "target ";
  std::string_view target = row.target();
  if (target.starts_with(kPrefix)) target.remove_prefix(kPrefix.size());
  return target.empty() ? "-" : std::string(target);
}

std::string render_history(const tend::HistoryReply& reply, bool colour) {
  if (reply.tasks().empty()) return "No task matches.\n";
  TextTable table({"WHEN", "TASK", "PLUGIN", "TARGET", "RESULT"});
  for (const auto& row : reply.tasks()) {
    table.add_row({{clock_text(row.dispatched_at().seconds())},
                   {row.task_id()},
                   {row.plugin()},
                   {target_text(row)},
                   {cut(outcome_line(row), kOutcomeWidth), outcome_colour(row)}});
  }
  const int n = reply.tasks_size();
  std::string footer = fmt::format("{} task{}", n, n == 1 ? "" : "s");
  if (reply.more()) {
    footer +=
        ", newest first; more match: narrow with --host, --plugin, --status or --since, "
        "or raise --limit";
  }
  return table.render(colour) + footer + "\n";
}

}  // namespace tend::tendctl
