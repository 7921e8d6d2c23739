// A thread that owns its state and is fed by a queue: the shape of the
// coordinator's event loop, the alert loop, the scheduler, the store query
// worker and the daily digest. Other threads only push events; the owner's
// state is touched by this thread alone, so it needs no locks.
//
// The owner implements Actor::Owner and keeps the Actor as a member. The
// thread is named (`top -H` and gdb say which loop is busy), hands each
// event to the owner in order, and wakes at the owner's next deadline even
// without one. stop() puts a stop behind what is queued, so everything
// queued before it is handled first, then on_stop() runs on the thread and
// stop() joins it. An owner calls stop() in its own destructor: the thread
// calls the owner, which must outlive it.
#pragma once

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <variant>

#include "core/common/event_queue.h"
#include "core/common/thread_name.h"

namespace tend {

template <typename Event>
class Actor {
 public:
  using Clock = std::chrono::steady_clock;

  // What the thread calls, always on the thread.
  class Owner {
   public:
    // Before the first event: what the owner loads or connects first.
    virtual void on_start() {}
    virtual void on_event(Event& event) = 0;
    // When the thread wakes with no event. Without deadlines of its own an
    // owner is still woken hourly, which costs nothing.
    virtual Clock::time_point next_wake() const { return Clock::now() + std::chrono::hours(1); }
    // After every event, and whenever next_wake() has come: the timers.
    virtual void on_wake() {}
    // After the stop, once everything queued ahead of it was handled.
    virtual void on_stop() {}

    virtual ~Owner() = default;
  };

  // `thread_name` for top (at most 15 characters: "event-loop");
  // `who` names the owner when its queue refuses an event and in the log:
  // "alert loop busy: ...".
  Actor(Owner& owner, const char* thread_name, std::string who, QueueLimits limits = {})
      : owner_(owner), thread_name_(thread_name), who_(who), queue_(std::move(who), limits) {}
  ~Actor() { stop(); }
  Actor(const Actor&) = delete;
  Actor& operator=(const Actor&) = delete;

  // Once; a second call does nothing.
  void start() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] {
      name_this_thread(thread_name_);
      run();
    });
  }

  // Queued behind what waits already; the thread stops after handling it.
  // Idempotent, from any thread but the actor's own.
  void request_stop() {
    if (stopping_.exchange(true) || !thread_.joinable()) return;
    queue_.push(Item(std::in_place_index<kStop>));
  }

  // request_stop(), then waits for the thread to end. Idempotent.
  void stop() {
    request_stop();
    if (thread_.joinable()) thread_.join();
  }

  // Raised by request_stop(): for a wait (a reconnect) that must not hold
  // the thread past it.
  const std::atomic<bool>& stopping() const { return stopping_; }

  // Always queued: for what the program says to itself (see EventQueue).
  void push(Event event) { queue_.push(Item(std::in_place_index<kEvent>, std::move(event))); }

  // Queued only while the queue has room; else why not ("scheduler busy: ...").
  Expected<void> try_push(Event event, size_t bytes) {
    return queue_.try_push(Item(std::in_place_index<kEvent>, std::move(event)), bytes);
  }

  // Waits until everything pushed before the call is handled (tests).
  bool drained(std::chrono::milliseconds timeout) {
    auto done = std::make_shared<std::promise<void>>();
    auto handled = done->get_future();
    queue_.push(Item(std::in_place_index<kBarrier>, std::move(done)));
    return handled.wait_for(timeout) == std::future_status::ready;
  }

 private:
  enum { kEvent, kStop, kBarrier };
  struct StopMarker {};
  using Item = std::variant<Event, StopMarker, std::shared_ptr<std::promise<void>>>;

  void run() {
    owner_.on_start();
    for (;;) {
      auto item = queue_.pop_until(owner_.next_wake());
      if (item && item->index() == kStop) break;
      // Nothing may end this thread but a stop: one bad event costs one event.
      try {
        if (item && item->index() == kEvent) owner_.on_event(std::get<kEvent>(*item));
        if (item && item->index() == kBarrier) std::get<kBarrier>(*item)->set_value();
        owner_.on_wake();
      } catch (const std::exception& e) {
        spdlog::error("{}: event failed: {}", who_, e.what());
      }
    }
    owner_.on_stop();
  }

  Owner& owner_;
  const char* thread_name_;
  const std::string who_;
  EventQueue<Item> queue_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tend
