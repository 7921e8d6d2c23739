// tend.audit.tail and tend.audit.verify: the newest rows of the audit trail,
// and a walk of its whole hash chain (core/store/audit_chain.h).
#pragma once

#include <string>
#include <string_view>

#include "bus/codec.h"
#include "bus/expected.h"
#include "core/coordinator/queries/reply_budget.h"
#include "core/store/pg_connection.h"
#include "schemas/query.pb.h"

namespace tend {

inline constexpr uint32_t kAuditTailDefaultLimit = 20;
inline constexpr uint32_t kAuditTailMaxLimit = 1000;

struct AuditTailQuery {
  uint32_t limit = kAuditTailDefaultLimit;
  std::string task_id;  // empty: every task's rows, and those of no task
};

Expected<AuditTailQuery> read_audit_tail_request(std::string_view data, Encoding encoding);

// Oldest first; when the rows do not fit in one reply, the oldest are left out.
Expected<tend::AuditTailReply> run_audit_tail(store::PgConnection& conn,
                                              const AuditTailQuery& query,
                                              const ReplyBudget& budget);

// Only checks that the request is one (it has no fields).
Expected<void> read_audit_verify_request(std::string_view data, Encoding encoding);

Expected<tend::AuditVerifyReply> run_audit_verify(store::PgConnection& conn);

}  // namespace tend
