// The health figures each heartbeat carries: use of every real filesystem,
// memory, load, and systemd's failed units. Cheap reads of /proc and
// statvfs each time; failed units come from systemctl, a process to start,
// so they are asked for at most once a minute and kept in between.
//
// Runs in the multi-threaded agent, so systemctl is started with
// posix_spawn (no fork of this process) and bounded by a timeout.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "schemas/heartbeat.pb.h"

namespace tend {

class HealthSampler {
 public:
  tend::Health sample();

 private:
  std::vector<std::string> failed_units();

  std::mutex mu_;
  std::chrono::steady_clock::time_point units_read_at_{};
  std::vector<std::string> units_;
};

}  // namespace tend
