#include "core/tendctl/incidents_command.h"

#include <unistd.h>

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

}  // namespace tend::tendctl
