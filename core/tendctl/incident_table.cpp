#include "core/tendctl/incident_table.h"

#include <fmt/format.h>

#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

constexpr size_t kResolutionWidth = 70;

std::string or_dash(std::string text) { return text.empty() ? "-" : text; }

std::string host_of(const tend::Incident& i) {
  if (auto it = i.labels().find("instance"); it != i.labels().end()) return it->second;
  if (auto it = i.labels().find("host"); it != i.labels().end()) return it->second;
  return i.target();
}

Cell status_cell(const tend::Incident& i) {
  if (i.status() == "closed") return {"closed"};
  if (i.status() == "escalated") return {"escalated", "31"};
  if (i.status() == "pending_approval") return {"pending approval", "33"};
  return {i.status(), "33"};
}

Cell outcome_cell(const tend::Incident& i) {
  if (i.outcome() == "verified") return {"verified", "32"};
  if (i.outcome() == "failed") return {"failed", "31"};
  return {or_dash(i.outcome())};
}

std::string shortened(const std::string& text) {
  if (text.size() <= kResolutionWidth) return text;
  return text.substr(0, kResolutionWidth - 3) + "...";
}

}  // namespace

std::string render_incidents(const tend::IncidentList& list, int64_t now_unix_s, bool colour) {
  TextTable table(
      {"ID", "AGE", "ALERT", "HOST", "STATUS", "DECISION", "CONF", "OUTCOME", "TTR", "RESOLUTION"},
      {Align::kRight});
  int open = 0;
  for (const auto& i : list.incidents()) {
    if (i.status() != "closed") ++open;
    table.add_row({{std::to_string(i.id())},
                   {age_text(now_unix_s - i.received_at().seconds())},
                   {i.alertname()},
                   {or_dash(host_of(i))},
                   status_cell(i),
                   {or_dash(i.decision())},
                   {i.confidence() > 0 ? fmt::format("{:.0f}%", i.confidence() * 100) : "-"},
                   outcome_cell(i),
                   {i.time_to_remediate_ms() > 0
                        ? elapsed_text(std::chrono::milliseconds(i.time_to_remediate_ms()))
                        : "-"},
                   {or_dash(shortened(i.resolution()))}});
  }
  const int count = list.incidents_size();
  if (count == 0) return "no incidents\n";
  return table.render(colour) +
         fmt::format("{} incident{}, {} open\n", count, count == 1 ? "" : "s", open);
}

}  // namespace tend::tendctl
