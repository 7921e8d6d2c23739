// When the morning digest is due: at the configured local time of day, once
// per local day, and still that day if the coordinator was down at that
// moment (up to kLateAtMost after it; later, the day is skipped rather than
// sending yesterday's news at dinner time). Pure, with time passed in.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/common/time_zone.h"

namespace tend {

inline constexpr std::chrono::hours kDigestLateAtMost{12};

struct DigestDue {
  std::string day;                   // "2026-11-23", local
  std::chrono::sys_seconds fire_at;  // that day's digest time
};

// The digest to send at `now`, if one is due and `last_day` (the last day
// sent, if any) is not already it.
std::optional<DigestDue> digest_due(std::chrono::sys_seconds now, const TimeZone& zone,
                                    std::chrono::minutes at,
                                    const std::optional<std::string>& last_day);

// The next digest time strictly after `now`.
std::chrono::sys_seconds next_digest_time(std::chrono::sys_seconds now, const TimeZone& zone,
                                          std::chrono::minutes at);

}  // namespace tend
