#include "core/agent/tasks/result_outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/common/thread_name.h"
#include "core/common/trace_point.h"

namespace tend {
namespace {

using namespace std::chrono_literals;

constexpr auto kAckWait = 2s;
constexpr auto kFirstRetry = 100ms;
constexpr auto kMaxRetry = 5s;
constexpr auto kLookForStreamAgain = 2s;

}  // namespace

ResultOutbox::ResultOutbox(Connection& connection, Subjects subjects, OutboxLimits limits)
    : conn_(connection), subjects_(std::move(subjects)), limits_(limits) {
  if (auto js = JetStream::open(conn_, kAckWait); js) {
    jetstream_ = std::move(*js);
  } else {
    spdlog::error("results go out as plain publishes, not kept until stored: {}",
                  js.error().message);
  }
  thread_ = std::thread([this] {
    name_this_thread("result-outbox");
    run();
  });
}

ResultOutbox::~ResultOutbox() { stop(0ms); }

void ResultOutbox::send(tend::Result result) {
  {
    std::lock_guard lock(mu_);
    enqueue(std::move(result), /*first=*/false);
  }
  wake_.notify_all();
}

void ResultOutbox::enqueue(tend::Result result, bool first) {
  const size_t bytes = result.ByteSizeLong();
  if (queue_.size() >= limits_.results || queued_bytes_ + bytes > limits_.bytes) {
    // Once when it starts, then now and then: a flood must not flood the log too.
    if (dropped_++ % 1000 == 0) {
      spdlog::error(
          "result outbox full ({} results, {} bytes wait for the results stream; the limit is {} "
          "results, {} bytes): the result of task {} is dropped ({} so far)",
          queue_.size(), queued_bytes_, limits_.results, limits_.bytes, result.task_id(), dropped_);
    }
    return;
  }
  queued_bytes_ += bytes;
  if (first) {
    queue_.push_front(std::move(result));
  } else {
    queue_.push_back(std::move(result));
  }
}

void ResultOutbox::forget_front() {
  queued_bytes_ -= std::min(queued_bytes_, queue_.front().ByteSizeLong());
  queue_.pop_front();
}

void ResultOutbox::send_here(tend::Result result) {
  std::unique_lock lock(mu_);
  if (!queue_.empty() || delivering_ || stopping_ || !conn_.connected()) {
    enqueue(std::move(result), /*first=*/false);
    lock.unlock();
    wake_.notify_all();
    return;
  }
  delivering_ = true;
  lock.unlock();
  auto outcome = deliver(result);
  trace_point("a.js_acked", result.task_id());
  bool done = settled(result, outcome);
  lock.lock();
  delivering_ = false;
  if (!done) enqueue(std::move(result), /*first=*/true);
  lock.unlock();
  wake_.notify_all();
}

size_t ResultOutbox::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

uint64_t ResultOutbox::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void ResultOutbox::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      stopping_ = true;
      give_up_at_ = std::chrono::steady_clock::now() + grace;
    }
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

JetStream::PublishOutcome ResultOutbox::deliver(const tend::Result& result) {
  const std::string subject = subjects_.result(result.task_id());
  const auto now = std::chrono::steady_clock::now();
  if (jetstream_ && !stream_seen_ && now >= next_stream_check_) {
    auto exists = jetstream_->has_stream(subjects_.results_stream());
    if (!exists) return {JetStream::Stored::kNo, exists.error().message};
    stream_seen_ = *exists;
    if (!stream_seen_) {
      spdlog::warn(
          "no stream {} on the NATS server: results go out as plain publishes until "
          "a coordinator with a database sets it up",
          subjects_.results_stream());
      next_stream_check_ = now + kLookForStreamAgain;
    }
  }
  if (!jetstream_ || !stream_seen_) {
    auto ok = conn_.publish(subject, result);
    return {ok ? JetStream::Stored::kNoStream : JetStream::Stored::kNo,
            ok ? "" : ok.error().message};
  }
  auto outcome = jetstream_->publish(subject, result, result.task_id() + "." + result.host(),
                                     subjects_.results_stream(), kAckWait);
  if (outcome.stored == JetStream::Stored::kNoStream) {
    stream_seen_ = false;  // removed under us: look again later
    next_stream_check_ = now + kLookForStreamAgain;
  }
  return outcome;
}

bool ResultOutbox::settled(const tend::Result& result, const JetStream::PublishOutcome& outcome) {
  switch (outcome.stored) {
    case JetStream::Stored::kYes:
      return true;
    case JetStream::Stored::kNoStream:
      if (!warned_no_stream_ && !outcome.error.empty()) {
        spdlog::warn("results are not kept until stored: {}", outcome.error);
        warned_no_stream_ = true;
      }
      return true;
    case JetStream::Stored::kNo:
      spdlog::warn("result of task {} not yet stored ({}); trying again", result.task_id(),
                   outcome.error);
      return false;
  }
  return false;
}

void ResultOutbox::run() {
  auto retry = kFirstRetry;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return (stopping_ || !queue_.empty()) && !delivering_; });
    if (queue_.empty()) return;
    if (stopping_ && std::chrono::steady_clock::now() >= give_up_at_) {
      spdlog::error("stopping with {} result(s) the results stream never acknowledged",
                    queue_.size());
      return;
    }
    tend::Result result = queue_.front();
    delivering_ = true;
    lock.unlock();
    trace_point("a.outbox", result.task_id());
    auto outcome = deliver(result);
    trace_point("a.js_acked", result.task_id());
    bool done = settled(result, outcome);
    lock.lock();
    delivering_ = false;
    if (done) {
      retry = kFirstRetry;
      forget_front();
      continue;
    }
    wake_.wait_for(lock, retry,
                   [this] { return stopping_ && std::chrono::steady_clock::now() >= give_up_at_; });
    retry = std::min(retry * 2, std::chrono::duration_cast<std::chrono::milliseconds>(kMaxRetry));
  }
}

}  // namespace tend
