// Delivers each Result so that it cannot be lost on its way to the store:
// published through JetStream with the message id "<task>.<host>" (a retry
// is stored once) and retried with back-off until the stream acknowledges
// it, across NATS outages. The coordinator hears it at once all the same:
// a JetStream publish is a plain publish that the stream also keeps.
//
// Where no stream keeps results (JetStream off, or no coordinator has set
// it up yet) the first publish already went out plainly, and that is all
// there is to do.
//
// What waits is bounded (OutboxLimits): while the stream is away for long
// a flood of tasks cannot make the agent grow without end. A result that
// finds the outbox full is dropped with an error in the log; it still went
// to the requester's reply subject, if any.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "bus/connection.h"
#include "bus/jetstream.h"
#include "bus/subjects.h"
#include "schemas/result.pb.h"

namespace tend {

struct OutboxLimits {
  // A node runs a few tasks a minute; ten thousand results is days of an
  // outage, or a flood.
  size_t results = 10'000;
  // Results keep at most 2 x [plugins] output_limit of captured output.
  size_t bytes = 64 * 1024 * 1024;
};

class ResultOutbox {
 public:
  ResultOutbox(Connection& connection, Subjects subjects, OutboxLimits limits = {});
  ~ResultOutbox();
  ResultOutbox(const ResultOutbox&) = delete;
  ResultOutbox& operator=(const ResultOutbox&) = delete;

  // Queues `result` for delivery; never blocks for long. For NATS callbacks.
  void send(tend::Result result);

  // Makes the first attempt on the calling thread, when nothing is queued
  // before it and NATS is connected: one thread hand-off fewer between a
  // plugin's answer and the coordinator. Waits for the stream's
  // acknowledgement (normally a fraction of a millisecond, at most the ack
  // wait); what is not acknowledged is queued for the outbox's thread.
  void send_here(tend::Result result);

  // Keeps trying what is queued for at most `grace`, then gives up on it.
  void stop(std::chrono::milliseconds grace);

  size_t pending() const;
  // Results dropped because the outbox was full.
  uint64_t dropped() const;

 private:
  // With mu_ held: queues `result` (first in line when `first`), or drops
  // it when the outbox is full.
  void enqueue(tend::Result result, bool first);
  // With mu_ held: the first result is delivered.
  void forget_front();
  void run();
  // Only while `delivering_` is ours: it owns the stream state below.
  JetStream::PublishOutcome deliver(const tend::Result& result);
  // True when the attempt is over for good (stored, or nothing keeps results).
  bool settled(const tend::Result& result, const JetStream::PublishOutcome& outcome);

  Connection& conn_;
  Subjects subjects_;
  std::unique_ptr<JetStream> jetstream_;
  // While no stream keeps results, publish plainly (no acknowledgement can
  // come) and ask for the stream again now and then. Whoever delivers
  // (`delivering_`) owns these.
  bool stream_seen_ = false;
  std::chrono::steady_clock::time_point next_stream_check_{};
  bool warned_no_stream_ = false;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  OutboxLimits limits_;
  std::deque<tend::Result> queue_;
  size_t queued_bytes_ = 0;
  uint64_t dropped_ = 0;
  bool delivering_ = false;  // one delivery at a time: the outbox's thread or a send_here
  bool stopping_ = false;
  std::chrono::steady_clock::time_point give_up_at_{};
  std::thread thread_;
};

}  // namespace tend
