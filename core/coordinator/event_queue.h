// Hands events from NATS delivery threads to the one thread that owns the
// coordinator's state. Pushing never blocks for long, so a callback that only
// decodes and pushes cannot make its subscription a slow consumer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace tend {

template <typename Event>
class EventQueue {
 public:
  void push(Event event) {
    {
      std::lock_guard lock(mu_);
      events_.push_back(std::move(event));
    }
    ready_.notify_one();
  }

  // The oldest event, or nothing once `deadline` passes with the queue empty.
  template <typename Clock, typename Duration>
  std::optional<Event> pop_until(std::chrono::time_point<Clock, Duration> deadline) {
    std::unique_lock lock(mu_);
    if (!ready_.wait_until(lock, deadline, [&] { return !events_.empty(); })) return std::nullopt;
    Event event = std::move(events_.front());
    events_.pop_front();
    return event;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Event> events_;
};

}  // namespace tend
