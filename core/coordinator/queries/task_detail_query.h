// tend.show: one task in full — its row, every host's result with outputs,
// durations and figures, who acknowledged it, how its summary accounted for
// the silent hosts, and its audit rows. A task on thousands of hosts is cut
// to one NATS message: long outputs first, then the result audit rows
// (which repeat the results), then results; the reply says what it left out.
#pragma once

#include <string>
#include <string_view>

#include "bus/codec.h"
#include "bus/expected.h"
#include "core/coordinator/queries/reply_budget.h"
#include "core/store/pg_connection.h"
#include "schemas/query.pb.h"

namespace tend {

// Audit rows read for one task at most.
inline constexpr int kShowAuditLimit = 5000;

// The task id, checked: present, and a name that could be in a subject.
Expected<std::string> read_show_request(std::string_view data, Encoding encoding);

// An error naming the task when the store knows nothing of it.
Expected<tend::ShowReply> run_show(store::PgConnection& conn, const std::string& task_id,
                                   const ReplyBudget& budget);

// Cuts `reply` to the budget as described above (exposed for tests).
void fit_show_reply(tend::ShowReply& reply, const ReplyBudget& budget);

}  // namespace tend
