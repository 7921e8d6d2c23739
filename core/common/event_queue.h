// Hands events from NATS delivery threads to the one thread that owns the
// coordinator's state. Pushing never blocks for long, so a callback that only
// decodes and pushes cannot make its subscription a slow consumer.
//
// Bounded: what comes from outside (a NATS message, an HTTP body) goes in
// with try_push, which refuses it once `max_events` wait or their bytes reach
// `max_bytes`, so a flood costs the flood, never the coordinator's memory.
// What the coordinator itself must hear (a fix finished, stop) goes in with
// push, which always takes it: those are few, and bounded by their sources.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "bus/expected.h"
#include "core/common/input_bounds.h"

namespace tend {

struct QueueLimits {
  size_t max_events = 100'000;
  size_t max_bytes = 256u << 20;
};

template <typename Event>
class EventQueue {
 public:
  // `who` names the queue's owner in a refusal: "coordinator", "alert loop".
  explicit EventQueue(std::string who = "coordinator", QueueLimits limits = {})
      : who_(std::move(who)), limits_(limits) {}

  void set_limits(QueueLimits limits) {
    std::lock_guard lock(mu_);
    limits_ = limits;
  }

  // Always queued: for what the coordinator says to itself.
  void push(Event event) {
    {
      std::lock_guard lock(mu_);
      events_.emplace_back(std::move(event), 0);
    }
    ready_.notify_one();
  }

  // Queued only while there is room; otherwise the event is dropped and the
  // error says which bound it met ("coordinator busy: 100000 events queued;
  // the limit is 100000"). `bytes` is what the event holds from outside.
  Expected<void> try_push(Event event, size_t bytes) {
    {
      std::lock_guard lock(mu_);
      if (auto ok = check_room(who_, events_.size(), "events queued", limits_.max_events); !ok) {
        return ok;
      }
      // One event always fits an empty queue, however large: the bound is on
      // what piles up, not on a single message (its size has its own limit).
      if (queued_bytes_ > 0) {
        if (auto ok = check_bytes(who_ + " busy: the event queue with this one",
                                  queued_bytes_ + bytes, limits_.max_bytes);
            !ok) {
          return ok;
        }
      }
      queued_bytes_ += bytes;
      events_.emplace_back(std::move(event), bytes);
    }
    ready_.notify_one();
    return {};
  }

  // The oldest event, or nothing once `deadline` passes with the queue empty.
  template <typename Clock, typename Duration>
  std::optional<Event> pop_until(std::chrono::time_point<Clock, Duration> deadline) {
    std::unique_lock lock(mu_);
    if (!ready_.wait_until(lock, deadline, [&] { return !events_.empty(); })) return std::nullopt;
    auto [event, bytes] = std::move(events_.front());
    events_.pop_front();
    queued_bytes_ -= bytes;
    return std::move(event);
  }

  size_t size() {
    std::lock_guard lock(mu_);
    return events_.size();
  }

 private:
  const std::string who_;
  std::mutex mu_;
  std::condition_variable ready_;
  QueueLimits limits_;
  std::deque<std::pair<Event, size_t>> events_;
  size_t queued_bytes_ = 0;
};

}  // namespace tend
