#include "core/store/audit_messages.h"

#include <google/protobuf/util/time_util.h>

#include "core/store/pg_connection.h"

namespace tend::store {

tend::AuditRow audit_row_message(const AuditRow& row) {
  tend::AuditRow out;
  out.set_id(row.id);
  *out.mutable_at() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row.entry.at_us);
  out.set_actor(row.entry.actor);
  out.set_action(row.entry.action);
  out.set_task_id(row.entry.task_id);
  out.set_target(row.entry.target);
  out.set_reason(row.entry.reason);
  out.set_detail(row.entry.detail);
  return out;
}

tend::AuditVerifyReply verification_message(const AuditVerification& verification) {
  tend::AuditVerifyReply out;
  out.set_rows_checked(verification.rows_checked);
  out.set_ok(!verification.first_bad_id.has_value());
  out.set_head_id(verification.head_id);
  if (!verification.head_hash.empty()) {
    out.set_head_hash(PgConnection::bytea_text(verification.head_hash).substr(2));  // no "\\x"
  }
  if (verification.first_bad_id) {
    out.set_first_bad_id(*verification.first_bad_id);
    out.set_problem(verification.problem);
  }
  return out;
}

}  // namespace tend::store
