// The one human line of a Summary: what an operator reads first, often on a
// phone. Good news is short ("10/10 succeeded"); bad news names the first few
// hosts and why ("9/10 succeeded; web-10 FAILED: repo error").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/summary.pb.h"

namespace tend {

enum class TaskEnding {
  kFinished,                 // every expected host answered, or the deadlines passed
  kCoordinatorShuttingDown,  // answered early: hosts may still be working
};

inline constexpr size_t kMaxProblemHostsInText = 3;
inline constexpr size_t kMaxReasonLength = 80;

// `summary` holds its counts, results, unreachable and no_result already.
// `audience` says whom the task was for, for the case where that was nobody:
// "target roles=cache" gives "0/0: no online node matches target roles=cache".
std::string summary_text(const tend::Summary& summary, std::string_view audience,
                         TaskEnding ending);

// The Summary of a task the coordinator refused to dispatch (e.g. "coordinator
// busy: ..."): every host it was for is missing, nothing is complete, and the
// text is the reason, so whoever waits for it (an alert's fix, a maintenance
// batch) reports why it never ran.
tend::Summary not_dispatched_summary(const std::string& task_id, const std::string& plugin,
                                     const std::vector<std::string>& hosts, const std::string& why);

// "3/10 answered: 2 succeeded, 1 failed", for progress tallies.
std::string tally_text(const tend::Summary& summary);

// The first line of `reason`, cut to kMaxReasonLength with "..." when longer.
std::string short_reason(std::string_view reason);

}  // namespace tend
