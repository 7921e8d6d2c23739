// Collects what a subscription receives so a test can wait for it: hand
// handler() to Connection::subscribe, then wait with next() or wait_for().
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "bus/connection.h"
#include "bus/message.h"

namespace tend::testing {

class MessageInbox {
 public:
  // Stays valid as long as the inbox does: unsubscribe before it goes.
  Subscription::Handler handler();

  // The oldest message not yet taken, waiting up to `timeout` for one.
  std::optional<Message> next(std::chrono::milliseconds timeout);

  // Takes `count` messages, or fewer when `timeout` passes first.
  std::vector<Message> take(std::size_t count, std::chrono::milliseconds timeout);

  // Everything that arrived so far, waiting no longer.
  std::vector<Message> take_all();

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  std::deque<Message> messages_;
};

// Decodes a message into a fresh T, by the message's own encoding.
template <typename T>
Expected<T> decode_as(const Message& msg) {
  T out;
  if (auto ok = msg.decode(out); !ok) return ok.error();
  return out;
}

}  // namespace tend::testing
