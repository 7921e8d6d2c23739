// Alertmanager's API v2, for what tend asks of it while a fix is verified:
// a silence on the alert (so nobody is paged for what is being fixed), its
// expiry afterwards, and whether the alert still fires. The URLs are
// [alerts] alertmanager, tried in order (the members of an HA pair share
// silences, so one is enough).
//
// Calls are synchronous with short timeouts, made on the alert pipeline's
// thread: a dead Alertmanager costs each call its timeout, and the fix is
// verified without a silence (and by the webhook's resolved notification).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/coordinator/alerts/alert.h"

namespace tend::alerts {

class AlertmanagerClient {
 public:
  explicit AlertmanagerClient(std::vector<std::string> urls,
                              std::chrono::milliseconds timeout = std::chrono::seconds(2))
      : urls_(std::move(urls)), timeout_(timeout) {}

  bool configured() const { return !urls_.empty(); }

  // A silence matching exactly `labels` until `ends_at`; its id.
  Expected<std::string> silence(const Labels& labels, WallTime ends_at, const std::string& comment);
  Expected<void> expire(const std::string& silence_id);

  // True while an alert with `fingerprint` is firing (silenced or not).
  Expected<bool> firing(const std::string& fingerprint, const Labels& labels);

 private:
  std::vector<std::string> urls_;
  std::chrono::milliseconds timeout_;
};

}  // namespace tend::alerts
