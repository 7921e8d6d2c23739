// `tendctl history` as a person reads it: one row per task, newest first.
#pragma once

#include <string>

#include "schemas/query.pb.h"

namespace tend::tendctl {

// WHEN TASK PLUGIN TARGET RESULT, then how many tasks (and what to do when
// more matched than were sent). Times in the local time zone; `colour`
// colours the result (only on a terminal).
std::string render_history(const tend::HistoryReply& reply, bool colour);

// What became of a task in one line: its summary line once finished
// ("dry run: " before it for a dry run), "in flight: 1/3 answered" before.
std::string outcome_line(const tend::TaskSummaryRow& row);

// The target as people typed it: "roles=web-server", or the subject a task
// was published on directly.
std::string target_text(const tend::TaskSummaryRow& row);

}  // namespace tend::tendctl
