#include "core/tendctl/pending_table.h"

#include <fmt/format.h>

#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {

std::string render_pending(const tend::PendingList& list, int64_t now_unix_s, bool colour) {
  if (list.approvals_size() == 0) return "no fix is waiting for approval\n";
  TextTable table(
      {"TASK", "INCIDENT", "ALERT", "PLUGIN", "TARGET", "CONFIDENCE", "WAITING", "EXPIRES-IN"},
      {Align::kLeft, Align::kRight, Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight,
       Align::kRight, Align::kRight});
  std::string details;
  for (const auto& p : list.approvals()) {
    const int64_t left = p.expires_at().seconds() - now_unix_s;
    table.add_row(
        {{p.task_id()},
         {std::to_string(p.incident_id())},
         {p.alertname()},
         {p.plugin()},
         {p.target()},
         {fmt::format("{:.0f}%", p.confidence() * 100)},
         {age_text(now_unix_s - p.requested_at().seconds())},
         {left <= 0 ? Cell{"now", "31"}
                    : Cell{elapsed_text(std::chrono::seconds(left)), left < 300 ? "33" : ""}}});
    details += fmt::format("{}: {}\n  {}\n", p.task_id(), p.reason(), p.why());
  }
  return table.render(colour) + "\n" + details +
         "\nAnswer with: tendctl approve TASK [--comment WHY] | tendctl deny TASK [--comment "
         "WHY]\n";
}

}  // namespace tend::tendctl
