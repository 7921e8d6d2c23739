#include "core/common/request_bounds.h"

#include <algorithm>

#include "bus/names.h"
#include "core/common/input_bounds.h"

namespace tend {

Expected<void> check_text(std::string_view field, std::string_view value, size_t limit) {
  return check_bytes(field, value.size(), limit);
}

Expected<void> check_subject_name(std::string_view field, std::string_view value) {
  if (auto ok = check_text(field, value, kMaxNameBytes); !ok) return ok;
  return check_name(field, value);
}

Expected<void> check_unsigned(std::string_view field, uint64_t value, int64_t min, int64_t max,
                              std::string_view unit) {
  const auto shown = static_cast<int64_t>(std::min<uint64_t>(value, INT64_MAX));
  return check_range(field, shown, min, max, unit);
}

namespace {

// Who and why, as every command that is audited carries them.
Expected<void> check_who_and_why(std::string_view by, std::string_view why_field,
                                 std::string_view why) {
  if (auto ok = check_text("by", by, kMaxActorBytes); !ok) return ok;
  return check_text(why_field, why, kMaxReasonBytes);
}

}  // namespace

Expected<void> check_request(const tend::ApprovalAnswer& answer) {
  return check_who_and_why(answer.by(), "comment", answer.comment());
}

Expected<void> check_request(const tend::Control& control) {
  if (auto ok = check_text("action", control.action(), kMaxKeywordBytes); !ok) return ok;
  return check_who_and_why(control.by(), "reason", control.reason());
}

Expected<void> check_request(const tend::KbAdjust& adjust) {
  if (auto ok = check_text("pattern", adjust.pattern(), kMaxPatternBytes); !ok) return ok;
  if (!adjust.plugin().empty()) {
    if (auto ok = check_subject_name("plugin", adjust.plugin()); !ok) return ok;
  }
  if (auto ok = check_text("direction", adjust.direction(), kMaxKeywordBytes); !ok) return ok;
  return check_who_and_why(adjust.by(), "reason", adjust.reason());
}

Expected<void> check_request(const tend::BreakerReset& reset) {
  if (auto ok = check_text("kind", reset.kind(), kMaxKeywordBytes); !ok) return ok;
  if (auto ok = check_text("key", reset.key(), kMaxBreakerKeyBytes); !ok) return ok;
  return check_who_and_why(reset.by(), "reason", reset.reason());
}

Expected<void> check_request(const tend::IncidentQuery& query) {
  if (auto ok = check_unsigned("since_s", query.since_s(), 0, kMaxLookBackSeconds, "s"); !ok) {
    return ok;
  }
  return check_unsigned("limit", query.limit(), 0, kMaxListLimit, "");
}

Expected<void> check_request(const tend::ScheduleRequest& request) {
  if (!request.name().empty()) {
    if (auto ok = check_subject_name("name", request.name()); !ok) return ok;
  }
  return check_who_and_why(request.by(), "reason", request.reason());
}

Expected<void> check_request(const tend::RunRequest& request) {
  return check_text("run_id", request.run_id(), kMaxRunIdBytes);
}

}  // namespace tend
