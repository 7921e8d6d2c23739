#include "core/coordinator/alerts/alert_deduplicator.h"

namespace tend::alerts {

bool AlertDeduplicator::duplicate(const std::string& fingerprint, WallTime now) {
  auto [it, inserted] = first_seen_.try_emplace(fingerprint, now);
  if (inserted) return false;
  if (now - it->second < window_) return true;
  it->second = now;  // a new occurrence: the window starts again
  return false;
}

void AlertDeduplicator::seen(const std::string& fingerprint, WallTime at) {
  auto [it, inserted] = first_seen_.try_emplace(fingerprint, at);
  if (!inserted && at > it->second) it->second = at;
}

void AlertDeduplicator::forget_older_than_window(WallTime now) {
  std::erase_if(first_seen_, [&](const auto& entry) { return now - entry.second >= window_; });
}

}  // namespace tend::alerts
