#include "core/coordinator/summary_text.h"

#include <fmt/format.h>

#include <vector>

namespace tend {
namespace {

// Everyone the task reached or should have: expected hosts plus any host that
// answered without being expected.
size_t audience_size(const tend::Summary& s) {
  return static_cast<size_t>(s.responded()) + static_cast<size_t>(s.missing_size());
}

std::string failure(const tend::Result& result) {
  std::string reason = short_reason(result.error().empty() ? result.summary() : result.error());
  std::string status = tend::Status_Name(result.status());
  if (reason.empty()) return fmt::format("{} {}", result.host(), status);
  return fmt::format("{} {}: {}", result.host(), status, reason);
}

std::vector<std::string> problems(const tend::Summary& s, TaskEnding ending) {
  const bool shutting_down = ending == TaskEnding::kCoordinatorShuttingDown;
  std::vector<std::string> lines;
  for (const auto& result : s.results()) {
    if (result.status() != tend::SUCCEEDED) lines.push_back(failure(result));
  }
  for (const auto& host : s.unreachable()) {
    lines.push_back(fmt::format("{} {}", host, shutting_down ? "not acknowledged" : "unreachable"));
  }
  for (const auto& host : s.no_result()) {
    lines.push_back(fmt::format("{} {}", host,
                                shutting_down ? "no result yet (acknowledged)"
                                              : "no result (acknowledged, timed out waiting)"));
  }
  return lines;
}

}  // namespace

std::string short_reason(std::string_view reason) {
  reason = reason.substr(0, reason.find('\n'));
  while (!reason.empty() && (reason.back() == ' ' || reason.back() == '\r'))
    reason.remove_suffix(1);
  if (reason.size() <= kMaxReasonLength) return std::string(reason);
  size_t cut = kMaxReasonLength - 3;
  // Never split a UTF-8 character: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
  return std::string(reason.substr(0, cut)) + "...";
}

std::string summary_text(const tend::Summary& summary, std::string_view audience,
                         TaskEnding ending) {
  const std::string_view tail =
      ending == TaskEnding::kCoordinatorShuttingDown ? "; coordinator shutting down" : "";
  if (audience_size(summary) == 0) {
    return fmt::format("0/0: no online node matches {}{}", audience, tail);
  }
  std::string text = fmt::format("{}/{} succeeded", summary.succeeded(), audience_size(summary));
  auto lines = problems(summary, ending);
  for (size_t i = 0; i < lines.size() && i < kMaxProblemHostsInText; ++i) {
    text += "; " + lines[i];
  }
  if (lines.size() > kMaxProblemHostsInText) {
    text += fmt::format("; and {} more", lines.size() - kMaxProblemHostsInText);
  }
  return text + std::string(tail);
}

std::string tally_text(const tend::Summary& summary) {
  return fmt::format("{}/{} answered: {} succeeded, {} failed", summary.responded(),
                     audience_size(summary), summary.succeeded(), summary.failed());
}

}  // namespace tend
