#include "core/coordinator/reports/digest_markdown.h"

#include <fmt/format.h>

#include <cmath>

namespace tend {
namespace {

std::string plural(uint32_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string time_saved(double minutes) {
  if (minutes < 90) return fmt::format("{:.0f} minutes", minutes);
  return fmt::format("{:.1f} hours", minutes / 60);
}

}  // namespace

std::string render_digest_markdown(const tend::DailyDigest& d) {
  std::string out = fmt::format("# tend daily digest, {}\n\n", d.day());
  // The line someone reads on a phone before coffee.
  out += fmt::format(
      "**{} fixed on their own, {} waiting for approval, {} escalated; about {} saved.**\n\n",
      plural(d.automatic_fixes_succeeded(), "alert", "alerts"),
      plural(d.approvals_waiting(), "fix", "fixes"), plural(d.escalations(), "problem", "problems"),
      time_saved(d.engineer_minutes_saved()));

  out += "## Automatic fixes\n\n";
  if (d.automatic_fixes() == 0) {
    out += "No alert needed a fix.\n\n";
  } else {
    out += fmt::format("- {} started, {} succeeded, {} failed\n", d.automatic_fixes(),
                       d.automatic_fixes_succeeded(), d.automatic_fixes_failed());
    out += fmt::format("- {} answered by people\n\n",
                       plural(d.approvals_answered(), "approval", "approvals"));
  }

  out += "## Needs a human\n\n";
  if (d.approvals_waiting() == 0 && d.escalations() == 0) {
    out += "Nothing is waiting.\n\n";
  } else {
    if (d.approvals_waiting() > 0) {
      out += fmt::format("- {} waiting: `tendctl pending`\n",
                         plural(d.approvals_waiting(), "approval", "approvals"));
    }
    if (d.escalations() > 0) {
      out += fmt::format("- {}: `tendctl audit tail` and `tendctl incidents --open`\n",
                         plural(d.escalations(), "escalation", "escalations"));
    }
    out += "\n";
  }

  out += "## Maintenance windows\n\n";
  if (d.windows_run() == 0 && d.windows_missed() == 0) {
    out += "No window ran.\n\n";
  } else {
    out += fmt::format("- {} run, {} clean, {} needing attention; {} maintained\n",
                       plural(d.windows_run(), "window", "windows"), d.windows_clean(),
                       d.windows_run() - std::min(d.windows_run(), d.windows_clean()),
                       plural(d.hosts_maintained(), "host", "hosts"));
    if (d.windows_missed() > 0) {
      out += fmt::format("- {} missed: no coordinator was up while it was open\n",
                         plural(d.windows_missed(), "window", "windows"));
    }
    out += "- details: `tendctl report --last`\n\n";
  }

  out += "## Top failing patterns\n\n";
  if (d.top_failing().empty()) {
    out += "No fix failed.\n\n";
  } else {
    out += "| pattern | plugin | failed | of | last error |\n| --- | --- | --- | --- | --- |\n";
    for (const auto& p : d.top_failing()) {
      std::string error = p.last_error();
      for (auto& c : error) {
        if (c == '|' || c == '\n') c = ' ';
      }
      out += fmt::format("| {} | {} | {} | {} | {} |\n", p.pattern(), p.plugin(), p.failures(),
                         p.attempts(), error.empty() ? "-" : error);
    }
    out += "\n";
  }

  out +=
      fmt::format("## All tasks\n\n{} run, {} with a result other than SUCCEEDED.\n\n",
                  plural(d.tasks(), "task", "tasks"), plural(d.results_failed(), "host", "hosts"));
  out += fmt::format("_Time saved is an estimate: {}._\n", d.assumption());
  return out;
}

}  // namespace tend
