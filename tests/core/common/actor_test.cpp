// A thread that owns its state and is fed by a queue: events in order on a
// named thread, wakes at the owner's deadline, a stop that lets what is
// queued be handled first, and one bad event that costs only itself.
#include "core/common/actor.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace tend {
namespace {

using namespace std::chrono_literals;

// Records what its thread was given; `seen` is read by the test once the
// actor is drained or stopped.
class Recorder final : public Actor<int>::Owner {
 public:
  explicit Recorder(QueueLimits limits = {}) : actor_(*this, "recorder", "recorder", limits) {}
  ~Recorder() override { actor_.stop(); }

  Actor<int>& actor() { return actor_; }

  std::vector<std::string> seen;
  std::string thread_name;
  Actor<int>::Clock::time_point wake_at = Actor<int>::Clock::now() + 1h;

 private:
  void on_start() override {
    char name[16] = {0};
    pthread_getname_np(pthread_self(), name, sizeof(name));
    thread_name = name;
    seen.push_back("start");
  }
  void on_event(int& event) override {
    if (event < 0) throw std::runtime_error("a bad event");
    seen.push_back(std::to_string(event));
  }
  Actor<int>::Clock::time_point next_wake() const override { return wake_at; }
  void on_wake() override {
    if (Actor<int>::Clock::now() >= wake_at) {
      seen.push_back("deadline");
      wake_at = Actor<int>::Clock::now() + 1h;
    }
  }
  void on_stop() override { seen.push_back("stop"); }

  Actor<int> actor_;
};

TEST(Actor, HandsEveryEventInOrderToItsOwnerOnANamedThread) {
  Recorder owner;
  owner.actor().start();
  for (int i = 1; i <= 3; ++i) owner.actor().push(i);
  ASSERT_TRUE(owner.actor().drained(5s));
  EXPECT_EQ(owner.thread_name, "recorder");
  EXPECT_EQ(owner.seen, (std::vector<std::string>{"start", "1", "2", "3"}));
}

TEST(Actor, StopHandlesWhatWasQueuedFirstThenRunsOnStopAndJoins) {
  Recorder owner;
  for (int i = 1; i <= 2; ++i) owner.actor().push(i);  // queued before the thread runs
  owner.actor().start();
  owner.actor().stop();
  EXPECT_TRUE(owner.actor().stopping());
  EXPECT_EQ(owner.seen, (std::vector<std::string>{"start", "1", "2", "stop"}));
  owner.actor().stop();  // a second stop does nothing
  EXPECT_EQ(owner.seen.size(), 4u);
}

TEST(Actor, AStopBeforeStartIsHarmless) {
  Recorder owner;
  owner.actor().stop();
  EXPECT_TRUE(owner.seen.empty());
}

TEST(Actor, WakesAtTheOwnersDeadlineWithoutAnEvent) {
  Recorder owner;
  owner.wake_at = Actor<int>::Clock::now() + 50ms;
  owner.actor().start();
  std::this_thread::sleep_for(300ms);
  ASSERT_TRUE(owner.actor().drained(5s));
  EXPECT_EQ(owner.seen, (std::vector<std::string>{"start", "deadline"}));
}

TEST(Actor, OneFailingEventCostsThatEventAndTheThreadGoesOn) {
  Recorder owner;
  owner.actor().start();
  owner.actor().push(-1);
  owner.actor().push(7);
  ASSERT_TRUE(owner.actor().drained(5s));
  EXPECT_EQ(owner.seen, (std::vector<std::string>{"start", "7"}));
}

TEST(Actor, WhatComesFromOutsideIsRefusedNamingTheOwnerOnceTheQueueIsFull) {
  Recorder owner(QueueLimits{.max_events = 2, .max_bytes = 1 << 20});
  EXPECT_TRUE(owner.actor().try_push(1, 10));
  EXPECT_TRUE(owner.actor().try_push(2, 10));
  auto refused = owner.actor().try_push(3, 10);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("recorder busy"), std::string::npos)
      << refused.error().message;
  owner.actor().push(4);  // what the owner says to itself always goes in
  owner.actor().start();
  owner.actor().stop();
  EXPECT_EQ(owner.seen, (std::vector<std::string>{"start", "1", "2", "4", "stop"}));
}

}  // namespace
}  // namespace tend
