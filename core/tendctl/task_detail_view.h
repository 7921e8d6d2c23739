// `tendctl show TASK_ID` as a person reads it: what was asked, by whom and
// why; one row per host; what each host's plugin reported (bounded: a page
// of stdout shows its first lines); figures; then the task's audit rows.
#pragma once

#include <string>

#include "schemas/query.pb.h"

namespace tend::tendctl {

inline constexpr size_t kOutputLinesShown = 12;  // per output value
inline constexpr size_t kOutputLineWidth = 160;
inline constexpr int kOutputHostsShown = 20;  // hosts whose outputs are listed

// Times in the local time zone; `colour` colours the statuses.
std::string render_task_detail(const tend::ShowReply& reply, bool colour);

// `value` under `key`, continuation lines indented to line up, cut to
// kOutputLinesShown lines of kOutputLineWidth characters.
std::string output_text(const std::string& key, const std::string& value,
                        const std::string& indent);

}  // namespace tend::tendctl
