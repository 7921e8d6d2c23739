#include "tests/support/message_inbox.h"

namespace tend::testing {

Subscription::Handler MessageInbox::handler() {
  return [this](Message msg) {
    std::lock_guard lock(mu_);
    messages_.push_back(std::move(msg));
    arrived_.notify_all();
  };
}

std::optional<Message> MessageInbox::next(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  if (!arrived_.wait_for(lock, timeout, [&] { return !messages_.empty(); })) return std::nullopt;
  Message msg = std::move(messages_.front());
  messages_.pop_front();
  return msg;
}

std::vector<Message> MessageInbox::take(std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
  std::vector<Message> out;
  while (!messages_.empty() && out.size() < count) {
    out.push_back(std::move(messages_.front()));
    messages_.pop_front();
  }
  return out;
}

std::vector<Message> MessageInbox::take_all() {
  std::lock_guard lock(mu_);
  std::vector<Message> out;
  for (auto& msg : messages_) out.push_back(std::move(msg));
  messages_.clear();
  return out;
}

}  // namespace tend::testing
