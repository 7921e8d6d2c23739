// tend.history: the newest tasks first, narrowed by host, plugin, result
// status and age. The request is checked before any SQL runs, so a mistake
// gets an answer that says what to type instead.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "bus/codec.h"
#include "bus/expected.h"
#include "core/coordinator/queries/reply_budget.h"
#include "core/store/pg_connection.h"
#include "schemas/query.pb.h"

namespace tend {

inline constexpr uint32_t kHistoryDefaultLimit = 50;
inline constexpr uint32_t kHistoryMaxLimit = 1000;

struct HistoryQuery {
  std::string host;
  std::string plugin;
  std::string status;  // a Status name, upper case; empty for any
  std::optional<std::chrono::seconds> since;
  uint32_t limit = kHistoryDefaultLimit;
};

// Refuses unknown fields, badly formed names, an unknown status, a since
// that is not a duration and a limit beyond kHistoryMaxLimit.
Expected<HistoryQuery> read_history_request(std::string_view data, Encoding encoding);

// "SUCCEEDED" for "succeeded"; an error listing the statuses otherwise.
Expected<std::string> status_named(std::string_view text);

Expected<tend::HistoryReply> run_history(store::PgConnection& conn, const HistoryQuery& query,
                                         const ReplyBudget& budget);

}  // namespace tend
