// Alertmanager repeats itself: an HA pair sends every notification twice,
// each re-sends firing alerts at its group_interval, and a flapping alert
// fires again moments after it resolved. A firing alert whose fingerprint
// was first seen less than `window` ago is the same occurrence, whichever
// Alertmanager sent it. (Past the window, an incident still open for the
// fingerprint keeps it one occurrence too: see AlertPipeline.)
//
// In memory only: a restarted coordinator seeds it from the incidents it
// received within the window.
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

#include "core/coordinator/alerts/alert.h"

namespace tend::alerts {

class AlertDeduplicator {
 public:
  explicit AlertDeduplicator(std::chrono::seconds window) : window_(window) {}

  // True when this firing alert was seen within the window (a duplicate);
  // otherwise remembers it from `now` and says false.
  bool duplicate(const std::string& fingerprint, WallTime now);

  // A sighting from before (at a restart).
  void seen(const std::string& fingerprint, WallTime at);

  // Drops what the window no longer covers; call now and then.
  void forget_older_than_window(WallTime now);

  size_t size() const { return first_seen_.size(); }

 private:
  std::chrono::seconds window_;
  std::unordered_map<std::string, WallTime> first_seen_;
};

}  // namespace tend::alerts
