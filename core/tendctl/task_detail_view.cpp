#include "core/tendctl/task_detail_view.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <vector>

#include "bus/codec.h"
#include "core/tendctl/audit_view.h"
#include "core/tendctl/history_table.h"
#include "core/tendctl/result_table.h"
#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

std::string field(const char* name, const std::string& value) {
  return fmt::format("  {:<11}{}\n", std::string(name) + ":", value);
}

std::string params_text(const tend::ShowReply& reply) {
  if (reply.params().fields().empty()) return "none";
  // Compact JSON, as it would be typed in a request.
  std::string json = to_json(reply.params());
  return json;
}

std::string header(const tend::ShowReply& reply) {
  const auto& task = reply.task();
  std::string out = fmt::format("task {} ({}): {}\n", task.task_id(),
                                task.plugin().empty() ? "?" : task.plugin(), reply.state());
  if (reply.state() == "results only") {
    return out + "  the task itself was not stored; its results were\n";
  }
  out += field("target", target_text(task));
  out +=
      field("requested", fmt::format("{} via {}, {}",
                                     task.requested_by().empty() ? "unknown" : task.requested_by(),
                                     task.origin(), clock_text(task.dispatched_at().seconds())));
  if (!task.reason().empty())
    out += field("reason", task.reason().substr(0, task.reason().find('\n')));
  out += field("params", params_text(reply));
  if (task.dry_run()) out += field("dry run", "yes: the plugins only said what they would change");
  out += field("timeout", fmt::format("{}s", reply.timeout_s()));
  if (task.has_finished_at()) {
    std::string when = clock_text(task.finished_at().seconds());
    if (reply.duration_ms() > 0) {
      when += ", after " + elapsed_text(std::chrono::milliseconds(reply.duration_ms()));
    }
    out += field("finished", when);
    out += field("summary", task.text());
  } else {
    out += field("deadline", clock_text(reply.deadline().seconds()));
    out += field("so far", outcome_line(task));
  }
  return out;
}

struct Silent {
  std::string status;
  std::string colour;
  std::string why;
};

// Why a host that sent no result sent none, as far as the store knows.
Silent silent_host(const tend::ShowReply& reply, const std::string& host) {
  auto listed = [](const auto& list, const std::string& h) {
    return std::find(list.begin(), list.end(), h) != list.end();
  };
  if (listed(reply.unreachable(), host)) {
    return {"UNREACHABLE", "31", "never acknowledged the task (down, cut off, or no agent)"};
  }
  if (listed(reply.no_result(), host)) {
    return {"NO RESULT", "31", "acknowledged, but sent no result before the deadline"};
  }
  const bool acked = listed(reply.acknowledged(), host);
  if (reply.task().has_finished_at()) return {"NO RESULT", "31", "no result stored"};
  return acked ? Silent{"RUNNING", "33", "acknowledged, working on it"}
               : Silent{"WAITING", "33", "not acknowledged yet"};
}

std::string host_rows(const tend::ShowReply& reply, bool colour) {
  TextTable table({"HOST", "STATUS", "DURATION", "SUMMARY/ERROR"},
                  {Align::kLeft, Align::kLeft, Align::kRight});
  std::map<std::string, std::vector<Cell>> rows;
  for (const auto& r : reply.results()) {
    rows[r.host()] = {{r.host()},
                      {status_name(r.status()), status_colour(r.status())},
                      {elapsed_text(std::chrono::milliseconds(r.duration_ms()))},
                      {result_detail(r)}};
  }
  for (const auto& host : reply.expected_hosts()) {
    if (rows.contains(host) || reply.results_omitted() > 0) continue;
    Silent silent = silent_host(reply, host);
    rows[host] = {{host}, {silent.status, silent.colour}, {"-"}, {silent.why}};
  }
  if (rows.empty()) return "No host was expected, and none answered.\n";
  for (auto& [host, cells] : rows) table.add_row(std::move(cells));
  return table.render(colour);
}

std::string outputs_section(const tend::ShowReply& reply) {
  std::string out;
  int shown = 0, left = 0;
  for (const auto& r : reply.results()) {
    if (r.outputs().empty()) continue;
    if (shown == kOutputHostsShown) {
      ++left;
      continue;
    }
    ++shown;
    out += fmt::format("  {}\n", r.host());
    std::map<std::string, std::string> sorted(r.outputs().begin(), r.outputs().end());
    for (const auto& [key, value] : sorted) out += output_text(key, value, "    ");
  }
  if (out.empty()) return "";
  if (left > 0) {
    out += fmt::format("  ... and the outputs of {} more host{}: tendctl show {} --json\n", left,
                       left == 1 ? "" : "s", reply.task().task_id());
  }
  if (reply.outputs_trimmed()) {
    out += "  (outputs were cut short to fit in one reply)\n";
  }
  return "\nOutputs\n" + out;
}

std::string figure_value(double value) { return fmt::format("{}", value); }

std::string figures_section(const tend::ShowReply& reply) {
  TextTable table({"HOST", "FIGURES"});
  bool any = false;
  for (const auto& r : reply.results()) {
    if (r.figures().empty()) continue;
    std::map<std::string, double> sorted(r.figures().begin(), r.figures().end());
    std::vector<std::string> parts;
    for (const auto& [key, value] : sorted) parts.push_back(key + "=" + figure_value(value));
    table.add_row({{r.host()}, {fmt::format("{}", fmt::join(parts, " "))}});
    any = true;
  }
  if (!any) return "";
  return "\nFigures\n" + table.render(false);
}

std::string audit_section(const tend::ShowReply& reply) {
  std::string out = "\nAudit trail\n";
  if (reply.audit().empty()) {
    out += "  no rows yet (they are written within a second)\n";
  } else {
    out += render_audit_rows(reply.audit(), /*with_task=*/false);
  }
  if (reply.audit_omitted() > 0) {
    out += fmt::format("  {} more row{} not shown: tendctl audit tail --task {} -n 1000\n",
                       reply.audit_omitted(), reply.audit_omitted() == 1 ? "" : "s",
                       reply.task().task_id());
  }
  return out;
}

}  // namespace

std::string output_text(const std::string& key, const std::string& value,
                        const std::string& indent) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find('\n', start);
    if (end == std::string::npos) end = value.size();
    lines.push_back(value.substr(start, end - start));
    start = end + 1;
  }
  // A trailing newline is not one more (empty) line.
  if (lines.size() > 1 && lines.back().empty()) lines.pop_back();
  const std::string lead = indent + key + ": ";
  const std::string more_indent = indent + std::string(key.size() + 2, ' ');
  std::string out;
  const size_t shown = std::min(lines.size(), kOutputLinesShown);
  for (size_t i = 0; i < shown; ++i) {
    std::string line = lines[i];
    if (line.size() > kOutputLineWidth) line = line.substr(0, kOutputLineWidth - 3) + "...";
    out += (i == 0 ? lead : more_indent) + line + "\n";
  }
  if (lines.size() > shown) {
    const size_t more = lines.size() - shown;
    out += fmt::format("{}... {} more line{}\n", more_indent, more, more == 1 ? "" : "s");
  }
  return out;
}

std::string render_task_detail(const tend::ShowReply& reply, bool colour) {
  std::string out = header(reply) + "\n" + host_rows(reply, colour);
  if (reply.results_omitted() > 0) {
    out += fmt::format("... and {} more result{} that did not fit in one reply\n",
                       reply.results_omitted(), reply.results_omitted() == 1 ? "" : "s");
  }
  out += outputs_section(reply);
  out += figures_section(reply);
  out += audit_section(reply);
  return out;
}

}  // namespace tend::tendctl
