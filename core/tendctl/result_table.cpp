#include "core/tendctl/result_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <vector>

#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

// A plugin's error can be a page of stderr; the table gets its first line.
constexpr size_t kDetailWidth = 80;

std::string result_rows(const tend::Summary& summary, bool colour) {
  std::vector<const tend::Result*> results;
  for (const auto& r : summary.results()) results.push_back(&r);
  std::stable_sort(results.begin(), results.end(),
                   [](const auto* a, const auto* b) { return a->host() < b->host(); });
  TextTable table({"HOST", "STATUS", "DURATION", "SUMMARY/ERROR"},
                  {Align::kLeft, Align::kLeft, Align::kRight});
  for (const auto* r : results) {
    table.add_row({{r->host()},
                   {status_name(r->status()), status_colour(r->status())},
                   {elapsed_text(std::chrono::milliseconds(r->duration_ms()))},
                   {result_detail(*r)}});
  }
  return table.render(colour);
}

std::string failed_line(const tend::Summary& summary) {
  std::vector<std::string> failed;
  for (const auto& r : summary.results()) {
    if (r.status() == tend::SUCCEEDED) continue;
    std::string detail = result_detail(r);
    failed.push_back(detail.empty()
                         ? fmt::format("{} ({})", r.host(), status_name(r.status()))
                         : fmt::format("{} ({}: {})", r.host(), status_name(r.status()), detail));
  }
  return failed.empty() ? "" : fmt::format("Failed: {}\n", fmt::join(failed, ", "));
}

// `missing` split by cause; hosts a summary lists as missing without a cause
// are still named, so no silent host goes unmentioned.
std::string missing_lines(const tend::Summary& summary) {
  std::string out;
  if (summary.unreachable_size() > 0) {
    out += fmt::format("Unreachable: {}\n", fmt::join(summary.unreachable(), ", "));
  }
  if (summary.no_result_size() > 0) {
    out += fmt::format("No result: {}\n", fmt::join(summary.no_result(), ", "));
  }
  std::set<std::string> explained(summary.unreachable().begin(), summary.unreachable().end());
  explained.insert(summary.no_result().begin(), summary.no_result().end());
  std::vector<std::string> unexplained;
  for (const auto& host : summary.missing()) {
    if (!explained.contains(host)) unexplained.push_back(host);
  }
  if (!unexplained.empty()) out += fmt::format("Missing: {}\n", fmt::join(unexplained, ", "));
  return out;
}

}  // namespace

std::string status_name(tend::Status status) {
  const std::string& name = tend::Status_Name(status);
  // A status from a newer agent than this tendctl still shows as something.
  return name.empty() ? fmt::format("STATUS_{}", static_cast<int>(status)) : name;
}

const char* status_colour(tend::Status status) {
  if (status == tend::SUCCEEDED) return "32";  // green
  if (status == tend::REJECTED) return "33";   // yellow: nothing ran
  return "31";                                 // red
}

std::string result_detail(const tend::Result& r) {
  std::string text = r.status() != tend::SUCCEEDED && !r.error().empty() ? r.error() : r.summary();
  text = text.substr(0, text.find('\n'));
  if (text.size() > kDetailWidth) text = text.substr(0, kDetailWidth - 3) + "...";
  return text;
}

std::string render_summary(const tend::Summary& summary, std::chrono::milliseconds wall,
                           bool colour) {
  std::string out;
  if (summary.results_size() > 0) out += result_rows(summary, colour) + "\n";
  if (summary.dry_run()) out += "Dry run: the plugins only said what they would change\n";
  if (!summary.text().empty()) out += summary.text() + "\n";
  out += fmt::format("Finished processing {} / {} hosts in {} ms\n", summary.responded(),
                     summary.expected(), wall.count());
  out += failed_line(summary);
  out += missing_lines(summary);
  return out;
}

}  // namespace tend::tendctl
