// Delivers each Result so that it cannot be lost on its way to the store:
// published through JetStream with the message id "<task>.<host>" (a retry
// is stored once) and retried with back-off until the stream acknowledges
// it, across NATS outages. The coordinator hears it at once all the same:
// a JetStream publish is a plain publish that the stream also keeps.
//
// Where no stream keeps results (JetStream off, or no coordinator has set
// it up yet) the first publish already went out plainly, and that is all
// there is to do.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "bus/connection.h"
#include "bus/jetstream.h"
#include "bus/subjects.h"
#include "schemas/result.pb.h"

namespace tend {

class ResultOutbox {
 public:
  ResultOutbox(Connection& connection, Subjects subjects);
  ~ResultOutbox();
  ResultOutbox(const ResultOutbox&) = delete;
  ResultOutbox& operator=(const ResultOutbox&) = delete;

  // Queues `result` for delivery; never blocks for long.
  void send(tend::Result result);

  // Keeps trying what is queued for at most `grace`, then gives up on it.
  void stop(std::chrono::milliseconds grace);

  size_t pending() const;

 private:
  void run();
  JetStream::PublishOutcome deliver(const tend::Result& result);

  Connection& conn_;
  Subjects subjects_;
  std::unique_ptr<JetStream> jetstream_;
  // While no stream keeps results, publish plainly (no acknowledgement can
  // come) and ask for the stream again now and then. Outbox thread only.
  bool stream_seen_ = false;
  std::chrono::steady_clock::time_point next_stream_check_{};

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<tend::Result> queue_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point give_up_at_{};
  std::thread thread_;
};

}  // namespace tend
