// `tendctl audit verify`: walks the audit trail's hash chain and names the
// first row that does not fit. Asked of a coordinator on tend.audit.verify,
// or, with a database URL, checked by tendctl itself straight against
// PostgreSQL (read-only): an auditor need not trust the coordinator.
#pragma once

#include <chrono>
#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

inline constexpr const char* kAuditVerifyExitCodes =
    "Exit codes:\n"
    "  0  the audit trail is intact\n"
    "  1  the audit trail is broken: the first row that does not fit is named\n"
    "  2  usage error\n"
    "  4  NATS, the coordinator or PostgreSQL could not be reached, or sent no answer";

// `database_url` empty: ask the coordinator.
int audit_verify(const GlobalOptions& options, const std::string& database_url,
                 std::chrono::milliseconds timeout, bool json);

// `verify`, added to `tendctl audit`.
void add_audit_verify_command(CLI::App& audit, CommandSet& commands);

}  // namespace tend::tendctl
