#include "core/tendctl/audit_verify_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "bus/codec.h"
#include "core/store/audit_chain.h"
#include "core/store/audit_messages.h"
#include "core/store/pg_connection.h"
#include "core/tendctl/audit_view.h"
#include "core/tendctl/exit_codes.h"
#include "core/tendctl/store_query.h"
#include "core/tendctl/time_text.h"
#include "schemas/query.pb.h"

namespace tend::tendctl {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(5);

Expected<tend::AuditVerifyReply> verify_in_database(const std::string& url) {
  auto conn = store::PgConnection::connect(url, kConnectTimeout, "tendctl");
  if (!conn) return conn.error();
  // Checking never writes, whatever the role may do.
  if (auto ok = (*conn)->exec("SET default_transaction_read_only = on"); !ok) return ok.error();
  auto verification = store::verify_audit_log(**conn);
  if (!verification) return verification.error();
  return store::verification_message(*verification);
}

struct AuditVerifyCommand {
  std::string database;
  std::string timeout = "10m";
  bool json = false;
};

}  // namespace

int audit_verify(const GlobalOptions& options, const std::string& database_url,
                 std::chrono::milliseconds timeout, bool json) {
  tend::AuditVerifyReply verdict;
  if (database_url.empty()) {
    if (int code = ask_store(options, &Subjects::audit_verify, tend::AuditVerifyRequest(), verdict,
                             timeout);
        code != 0) {
      return code;
    }
  } else {
    auto checked = verify_in_database(database_url);
    if (!checked) {
      std::cerr << "error: the audit trail cannot be checked: " << checked.error().message << "\n";
      return kUnreachable;
    }
    verdict = std::move(*checked);
  }
  std::cout << (json ? to_json(verdict) + "\n" : render_verification(verdict));
  return exit_code_for(verdict);
}

void add_audit_verify_command(CLI::App& audit, CommandSet& commands) {
  auto cmd = std::make_shared<AuditVerifyCommand>();
  auto* verify = audit.add_subcommand(
      "verify", "walk the audit trail's hash chain and name the first row that does not fit");
  verify->footer(kAuditVerifyExitCodes);
  verify->add_option("--database", cmd->database,
                     "check straight against PostgreSQL (a libpq URL, e.g. "
                     "postgresql://auditor@db/tend) instead of asking the coordinator");
  verify->add_option("--timeout", cmd->timeout, "how long to wait for the coordinator's verdict")
      ->capture_default_str();
  verify->add_flag("--json", cmd->json, "print the AuditVerifyReply as JSON and nothing else");
  commands.on(verify, [cmd](const GlobalOptions& global) {
    auto timeout = parse_short_duration(cmd->timeout);
    if (!timeout) {
      std::cerr << "error: --timeout: " << timeout.error().message << "\n";
      return kUsageError;
    }
    return audit_verify(global, cmd->database, *timeout, cmd->json);
  });
}

}  // namespace tend::tendctl
