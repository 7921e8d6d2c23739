// `tendctl kb` as a person reads it: each (pattern, plugin) with its
// confidence, the tier it has, its counts and its last outcome.
#pragma once

#include <cstdint>
#include <string>

#include "schemas/decision.pb.h"

namespace tend::tendctl {

// PATTERN PLUGIN CONFIDENCE TIER SEEN FIXES VERIFIED FAILED LAST, sorted by pattern.
std::string render_kb(const tend::KbList& list, int64_t now_unix_s, bool colour);

}  // namespace tend::tendctl
