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

constexpr size_t kMaxHostsPerCause = 3;

// Hosts that failed the same way, or went missing the same way, read as one
// clause: "web-01, web-02 REJECTED: unknown plugin 'x'".
struct Cause {
  std::string what;  // "FAILED: repo error", "unreachable"
  std::vector<std::string> hosts;
};

void add(std::vector<Cause>& causes, std::string what, const std::string& host) {
  for (auto& cause : causes) {
    if (cause.what == what) {
      cause.hosts.push_back(host);
      return;
    }
  }
  causes.push_back({std::move(what), {host}});
}

std::string clause(const Cause& cause) {
  std::string hosts;
  for (size_t i = 0; i < cause.hosts.size() && i < kMaxHostsPerCause; ++i) {
    hosts += (i ? ", " : "") + cause.hosts[i];
  }
  if (cause.hosts.size() > kMaxHostsPerCause) {
    hosts += fmt::format(" and {} more", cause.hosts.size() - kMaxHostsPerCause);
  }
  return hosts + " " + cause.what;
}

std::vector<std::string> problems(const tend::Summary& s, TaskEnding ending) {
  const bool shutting_down = ending == TaskEnding::kCoordinatorShuttingDown;
  std::vector<Cause> causes;
  for (const auto& result : s.results()) {
    if (result.status() == tend::SUCCEEDED) continue;
    std::string reason = short_reason(result.error().empty() ? result.summary() : result.error());
    std::string status = tend::Status_Name(result.status());
    add(causes, reason.empty() ? status : fmt::format("{}: {}", status, reason), result.host());
  }
  for (const auto& host : s.unreachable()) {
    add(causes, shutting_down ? "not acknowledged" : "unreachable", host);
  }
  for (const auto& host : s.no_result()) {
    add(causes,
        shutting_down ? "no result yet (acknowledged)"
                      : "no result (acknowledged, timed out waiting)",
        host);
  }
  std::vector<std::string> lines;
  for (const auto& cause : causes) lines.push_back(clause(cause));
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

tend::Summary not_dispatched_summary(const std::string& task_id, const std::string& plugin,
                                     const std::vector<std::string>& hosts,
                                     const std::string& why) {
  tend::Summary s;
  s.set_task_id(task_id);
  s.set_plugin(plugin);
  s.set_expected(static_cast<uint32_t>(hosts.size()));
  for (const auto& host : hosts) s.add_missing(host);
  s.set_complete(false);
  s.set_text("not dispatched: " + why);
  return s;
}

}  // namespace tend
