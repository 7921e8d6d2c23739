// The audit trail as messages (schemas/query.proto), for whoever shows it:
// the coordinator's query service, and tendctl when it verifies the chain
// straight against PostgreSQL.
#pragma once

#include "core/store/audit_chain.h"
#include "schemas/query.pb.h"

namespace tend::store {

tend::AuditRow audit_row_message(const AuditRow& row);
tend::AuditVerifyReply verification_message(const AuditVerification& verification);

}  // namespace tend::store
