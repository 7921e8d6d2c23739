// The audit trail as tendctl shows it: rows (`tendctl audit tail`, and the
// end of `tendctl show`) and the verdict of `tendctl audit verify`.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include <string>

#include "schemas/query.pb.h"

namespace tend::tendctl {

// ID AT ACTOR ACTION [TASK] TARGET DETAIL, oldest first; DETAIL is the
// reason, then the JSON detail, on one line cut to a screen's width.
std::string render_audit_rows(const google::protobuf::RepeatedPtrField<tend::AuditRow>& rows,
                              bool with_task);

// "audit trail intact: N rows checked", or "audit trail BROKEN at row ID:
// problem".
std::string render_verification(const tend::AuditVerifyReply& verdict);

// 0 when intact, 1 when broken.
int exit_code_for(const tend::AuditVerifyReply& verdict);

}  // namespace tend::tendctl
