#include "core/coordinator/queries/audit_query.h"

#include <fmt/format.h>

#include <algorithm>

#include "bus/names.h"
#include "core/common/request_bounds.h"
#include "core/store/audit_chain.h"
#include "core/store/audit_messages.h"

namespace tend {

Expected<AuditTailQuery> read_audit_tail_request(std::string_view data, Encoding encoding) {
  tend::AuditTailRequest request;
  if (!data.empty()) {
    if (auto ok = decode(data, encoding, request); !ok) return ok.error();
  }
  AuditTailQuery query;
  if (auto ok = check_unsigned("limit", request.limit(), 0, kAuditTailMaxLimit, ""); !ok) {
    return make_error(ok.error().message +
                      ": narrow the tail to one task with task_id, or verify the whole trail "
                      "with tend.audit.verify");
  }
  if (request.limit() > 0) query.limit = request.limit();
  if (!request.task_id().empty()) {
    if (auto ok = check_subject_name("task id", request.task_id()); !ok) return ok.error();
    query.task_id = request.task_id();
  }
  return query;
}

Expected<tend::AuditTailReply> run_audit_tail(store::PgConnection& conn,
                                              const AuditTailQuery& query,
                                              const ReplyBudget& budget) {
  auto rows = store::read_audit_tail(conn, static_cast<int>(query.limit), query.task_id);
  if (!rows) return rows.error();
  tend::AuditTailReply reply;
  for (const auto& row : *rows) *reply.add_rows() = store::audit_row_message(row);
  if (!budget.fits(reply)) {
    tend::AuditTailReply frame;
    frame.set_omitted(static_cast<uint32_t>(reply.rows_size()));
    size_t room = budget.max_bytes() - std::min(budget.max_bytes(), budget.size_of(frame));
    reply.set_omitted(static_cast<uint32_t>(
        budget.keep_within(*reply.mutable_rows(), room, ReplyBudget::Drop::kFromFront)));
  }
  return reply;
}

Expected<void> read_audit_verify_request(std::string_view data, Encoding encoding) {
  tend::AuditVerifyRequest request;
  if (data.empty()) return {};
  return decode(data, encoding, request);
}

Expected<tend::AuditVerifyReply> run_audit_verify(store::PgConnection& conn) {
  auto verification = store::verify_audit_log(conn);
  if (!verification) return verification.error();
  return store::verification_message(*verification);
}

}  // namespace tend
