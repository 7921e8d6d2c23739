#include "core/tendctl/breaker_table.h"

#include <fmt/format.h>

#include "core/tendctl/text_table.h"
#include "core/tendctl/time_text.h"

namespace tend::tendctl {
namespace {

Cell state_cell(const tend::Breaker& b) {
  if (b.state() == "open") return {"open", "31"};
  if (b.state() == "half_open") return {"half-open", "33"};
  return {"closed", "32"};
}

}  // namespace

std::string render_breakers(const tend::BreakerList& list, int64_t now_unix_s, bool colour) {
  std::string out;
  const auto& stop = list.emergency_stop();
  if (stop.active()) {
    out +=
        fmt::format("EMERGENCY STOP since {} by {}{}: no fix runs until tendctl resume --all\n\n",
                    age_text(now_unix_s - stop.since().seconds()), stop.by(),
                    stop.reason().empty() ? "" : " (" + stop.reason() + ")");
  }
  TextTable table({"KIND", "KEY", "STATE", "SINCE", "DETAIL"});
  for (const auto& b : list.breakers()) {
    std::string detail = b.detail();
    if (!b.probe_task_id().empty()) detail += " (probe " + b.probe_task_id() + ")";
    table.add_row({{b.kind()},
                   {b.key()},
                   state_cell(b),
                   {b.state() == "closed" ? "-" : age_text(now_unix_s - b.since().seconds())},
                   {detail}});
  }
  return out + table.render(colour);
}

}  // namespace tend::tendctl
