// Tells the fleet this agent is alive, every interval, from its own thread.
#pragma once

#include <chrono>
#include <functional>

#include "core/common/actor.h"
#include "schemas/heartbeat.pb.h"

namespace tend {

// What send_now() asks of the publisher's thread.
struct SendHeartbeatNow {};

class HeartbeatPublisher final : private Actor<SendHeartbeatNow>::Owner {
 public:
  // `make` builds a fresh heartbeat; `send` publishes it. The first goes at
  // once.
  HeartbeatPublisher(std::chrono::seconds interval, std::function<tend::Heartbeat()> make,
                     std::function<void(const tend::Heartbeat&)> send);
  ~HeartbeatPublisher() override;

  // Sends one now (after a reload, a pause) without waiting for the tick.
  void send_now() { loop_.push(SendHeartbeatNow{}); }

 private:
  using Clock = Actor<SendHeartbeatNow>::Clock;
  // The thread (Actor::Owner).
  void on_event(SendHeartbeatNow&) override { next_due_ = Clock::now(); }
  Clock::time_point next_wake() const override { return next_due_; }
  void on_wake() override;

  std::chrono::seconds interval_;
  std::function<tend::Heartbeat()> make_;
  std::function<void(const tend::Heartbeat&)> send_;
  Clock::time_point next_due_{};  // the thread's own; at once when it starts
  Actor<SendHeartbeatNow> loop_;
};

}  // namespace tend
