// Delivers notifications to one configured endpoint (generic webhook, Slack,
// PagerDuty) on a thread of its own, so a slow or dead endpoint never holds up
// the alert loop or the other notifiers. A failed POST (no connection, a 5xx,
// a 429) is tried again after [escalation.notifier] backoff, doubling up to a
// minute, `retries` times; a 4xx other than 429 is not retried (the message
// would be refused again). Everything is logged.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "core/coordinator/alerts/alerts_config.h"
#include "schemas/alert.pb.h"
#include "schemas/escalation.pb.h"

namespace tend::alerts {

class Notifier {
 public:
  explicit Notifier(NotifierConfig config);
  ~Notifier();  // stops: what is still queued is dropped, and logged
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // From any thread; returns at once.
  void notify(const tend::Escalation& escalation);

  const NotifierConfig& config() const { return config_; }
  uint64_t delivered() const { return delivered_.load(); }
  uint64_t given_up() const { return given_up_.load(); }

 private:
  struct Outcome {
    bool delivered = false;
    bool retry = false;  // worth trying again
    std::string what;
  };
  void run();
  Outcome post(const std::string& body);
  // Sleeps `d` unless stopping; false when stopping.
  bool pause(std::chrono::milliseconds d);

  NotifierConfig config_;
  std::string base_;  // scheme://host[:port]
  std::string path_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, std::string>> queue_;  // body, headline
  bool stopping_ = false;
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> given_up_{0};
  std::thread thread_;
};

}  // namespace tend::alerts
