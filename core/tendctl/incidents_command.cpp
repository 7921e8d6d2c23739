#include "core/tendctl/incidents_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "core/common/duration.h"
#include "core/tendctl/coordinator_request.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/incident_table.h"
#include "schemas/alert.pb.h"

namespace tend::tendctl {
namespace {

// The coordinator reads them from PostgreSQL.
constexpr auto kTimeout = std::chrono::seconds(10);

struct IncidentsCommand {
  bool open_only = false;
  std::string since;
  bool json = false;
};

}  // namespace

int list_incidents(const GlobalOptions& options, bool open_only, const std::string& since,
                   bool json) {
  tend::IncidentQuery query;
  query.set_open_only(open_only);
  if (!since.empty()) {
    auto d = parse_duration(since);
    if (!d) {
      std::cerr << "error: --since: " << d.error().message << "\n";
      return kUsageError;
    }
    query.set_since_s(static_cast<uint64_t>(d->count()));
  }
  int code = 0;
  auto list =
      ask_or_complain<tend::IncidentList>(options, &Subjects::incidents, query, kTimeout, code);
  if (!list) return code;
  if (json) {
    std::cout << to_json(*list) << "\n";
    return kAllSucceeded;
  }
  const bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  std::cout << render_incidents(*list, std::time(nullptr), colour);
  return kAllSucceeded;
}

void add_incidents_command(CLI::App& app, CommandSet& commands) {
  auto cmd = std::make_shared<IncidentsCommand>();
  auto* incidents = app.add_subcommand(
      "incidents", "alert occurrences: what fired, what was decided, what ran, how it ended");
  incidents->add_flag("--open", cmd->open_only, "only those still open");
  incidents->add_option("--since", cmd->since, "only those received within, e.g. 7d, 12h");
  incidents->add_flag("--json", cmd->json, "print the IncidentList as JSON");
  commands.on(incidents, [cmd](const GlobalOptions& global) {
    return list_incidents(global, cmd->open_only, cmd->since, cmd->json);
  });
}

}  // namespace tend::tendctl
