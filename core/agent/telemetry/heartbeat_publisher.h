// Tells the fleet this agent is alive, every interval, from its own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "schemas/heartbeat.pb.h"

namespace tend {

class HeartbeatPublisher {
 public:
  // `make` builds a fresh heartbeat; `send` publishes it.
  HeartbeatPublisher(std::chrono::seconds interval, std::function<tend::Heartbeat()> make,
                     std::function<void(const tend::Heartbeat&)> send);
  ~HeartbeatPublisher();

  // Sends one now (after a reload, a pause) without waiting for the tick.
  void send_now();

 private:
  void loop();

  std::chrono::seconds interval_;
  std::function<tend::Heartbeat()> make_;
  std::function<void(const tend::Heartbeat&)> send_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  bool now_ = false;
  std::thread thread_;
};

}  // namespace tend
