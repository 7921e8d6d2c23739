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
  auto session = Session::open(options);
  if (!session) {
    std::cerr << "error: " << session.error().message << "\n";
    return kUnreachable;
  }
  auto answer = ask_coordinator<tend::IncidentList>(**session, (*session)->subjects().incidents(),
                                                    query, kTimeout);
  if (!answer) {
    std::cerr << "error: " << answer.error().message << "\n";
    return kUnreachable;
  }
  if (answer->refused) {
    std::cerr << "error: " << answer->reason << "\n";
    return kUsageError;
  }
  if (json) {
    std::cout << to_json(answer->reply) << "\n";
    return kAllSucceeded;
  }
  const bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  std::cout << render_incidents(answer->reply, std::time(nullptr), colour);
  return kAllSucceeded;
}

}  // namespace tend::tendctl
