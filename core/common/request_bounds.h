// Bounds on what operators send the coordinator besides tasks (a Task's own
// fields are checked by check_task_bounds): who (`by`), why (`reason`,
// `comment`), names and filters, each refused over its bound with the field
// and the limit named ("reason is 5000 bytes; the limit is 1024"), before
// anything is looked up, stored or audited. Absurd numbers are refused, not
// clamped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bus/expected.h"
#include "bus/names.h"
#include "core/common/task_bounds.h"
#include "schemas/alert.pb.h"
#include "schemas/approval.pb.h"
#include "schemas/control.pb.h"
#include "schemas/decision.pb.h"
#include "schemas/schedule.pb.h"

namespace tend {

// Names (bus/names.h kMaxNameBytes), who and why (kMaxActorBytes,
// kMaxReasonBytes) are bounded as in a Task (core/common/task_bounds.h), so
// what the coordinator accepts the agents accept too.
// A word the request picks from a few (kind, direction, action, status).
inline constexpr size_t kMaxKeywordBytes = 32;
// An alert pattern: a route's name.
inline constexpr size_t kMaxPatternBytes = 256;
// A breaker's key: "service@host", a pattern, or "fleet".
inline constexpr size_t kMaxBreakerKeyBytes = 512;
// A maintenance run's id: "<schedule>-<window start>".
inline constexpr size_t kMaxRunIdBytes = 256;
// How far back a query may look: ten years.
inline constexpr int64_t kMaxLookBackSeconds = 10LL * 365 * 24 * 3600;
// Rows one list request may ask for.
inline constexpr uint32_t kMaxListLimit = 1000;

// The refusal for `value` of `field` longer than `limit` bytes, or nothing.
Expected<void> check_text(std::string_view field, std::string_view value, size_t limit);

// A name for a subject: its length first (so a huge one is not echoed
// back), then its characters (bus/names.h).
Expected<void> check_subject_name(std::string_view field, std::string_view value);

// A number sent as unsigned, refused outside [min, max] without wrapping.
Expected<void> check_unsigned(std::string_view field, uint64_t value, int64_t min, int64_t max,
                              std::string_view unit);

Expected<void> check_request(const tend::ApprovalAnswer& answer);
Expected<void> check_request(const tend::Control& control);
Expected<void> check_request(const tend::KbAdjust& adjust);
Expected<void> check_request(const tend::BreakerReset& reset);
Expected<void> check_request(const tend::IncidentQuery& query);
Expected<void> check_request(const tend::ScheduleRequest& request);
Expected<void> check_request(const tend::RunRequest& request);
// Requests that carry nothing to bound.
inline Expected<void> check_request(const tend::KbQuery&) { return {}; }
inline Expected<void> check_request(const tend::PendingQuery&) { return {}; }
inline Expected<void> check_request(const tend::BreakerQuery&) { return {}; }

}  // namespace tend
