#include "core/tendctl/kb_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "core/tendctl/coordinator_request.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/kb_table.h"
#include "core/tendctl/operator_name.h"
#include "schemas/decision.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kTimeout = std::chrono::seconds(10);

bool colour_wanted() { return isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr; }

}  // namespace

int list_kb(const GlobalOptions& options, bool json) {
  int code = 0;
  auto list =
      ask_or_complain<tend::KbList>(options, &Subjects::kb, tend::KbQuery(), kTimeout, code);
  if (!list) return code;
  std::cout << (json ? to_json(*list) + "\n"
                     : render_kb(*list, std::time(nullptr), colour_wanted()));
  return kAllSucceeded;
}

int adjust_kb(const GlobalOptions& options, const std::string& direction,
              const std::string& pattern, const std::string& plugin, const std::string& reason) {
  if (reason.empty()) {
    std::cerr << "error: say why with --reason: it goes to the audit trail\n";
    return kUsageError;
  }
  tend::KbAdjust adjust;
  adjust.set_pattern(pattern);
  adjust.set_plugin(plugin);
  adjust.set_direction(direction);
  adjust.set_by(operator_name());
  adjust.set_reason(reason);
  int code = 0;
  auto entry =
      ask_or_complain<tend::KbEntry>(options, &Subjects::kb_adjust, adjust, kTimeout, code);
  if (!entry) return code;
  std::cout << fmt::format("{} ({}): now {} (confidence {:.0f}%)\n", entry->pattern(),
                           entry->plugin(), entry->tier(), entry->confidence() * 100);
  return kAllSucceeded;
}

}  // namespace tend::tendctl
