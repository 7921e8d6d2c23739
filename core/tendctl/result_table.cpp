#include "core/tendctl/result_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <vector>

#include "core/tendctl/exit_codes.h"

namespace tend::tendctl {
namespace {

constexpr size_t kDetailWidth = 80;

std::string detail_of(const tend::Result& r) {
  std::string text = r.status() == tend::SUCCEEDED || r.error().empty() ? r.summary() : r.error();
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > kDetailWidth) text = text.substr(0, kDetailWidth - 3) + "...";
  return text;
}

std::string status_text(const tend::Result& r, bool colour) {
  std::string name = tend::Status_Name(r.status());
  if (!colour) return name;
  const char* code = r.status() == tend::SUCCEEDED  ? "32"
                     : r.status() == tend::REJECTED ? "33"
                                                    : "31";
  return fmt::format("\x1b[{}m{}\x1b[0m", code, name);
}

}  // namespace

std::string render_summary(const tend::Summary& summary, std::chrono::milliseconds wall,
                           bool colour) {
  std::string out;
  size_t host_width = 4;
  for (const auto& r : summary.results()) host_width = std::max(host_width, r.host().size());
  if (summary.results_size() > 0) {
    // Colour codes take no room on screen, so pad the plain name.
    out += fmt::format("{:<{}}  {:<10}  {:>8}  {}\n", "HOST", host_width, "STATUS", "DURATION",
                       "SUMMARY");
    for (const auto& r : summary.results()) {
      std::string status = tend::Status_Name(r.status());
      out +=
          fmt::format("{:<{}}  {}{}  {:>6}ms  {}\n", r.host(), host_width, status_text(r, colour),
                      std::string(10 - std::min<size_t>(10, status.size()), ' '), r.duration_ms(),
                      detail_of(r));
    }
    out += "\n";
  }
  out += summary.text() + "\n";
  out += fmt::format("Finished processing {} / {} hosts in {} ms\n", summary.responded(),
                     summary.expected(), wall.count());
  std::vector<std::string> failed;
  for (const auto& r : summary.results()) {
    if (r.status() != tend::SUCCEEDED) {
      failed.push_back(
          fmt::format("{} ({}: {})", r.host(), tend::Status_Name(r.status()), detail_of(r)));
    }
  }
  if (!failed.empty()) out += fmt::format("Failed: {}\n", fmt::join(failed, ", "));
  if (summary.unreachable_size() > 0) {
    out += fmt::format("Unreachable (never acknowledged): {}\n",
                       fmt::join(summary.unreachable(), ", "));
  }
  if (summary.no_result_size() > 0) {
    out += fmt::format("No result (acknowledged, then silent): {}\n",
                       fmt::join(summary.no_result(), ", "));
  }
  return out;
}

int exit_code_for(const tend::Summary& summary) {
  if (summary.missing_size() > 0) return kSomeMissing;
  if (summary.succeeded() < summary.responded() || summary.failed() > 0) return kSomeFailed;
  return kAllSucceeded;
}

}  // namespace tend::tendctl
