// Writes what the coordinator learns to PostgreSQL in batches, on a thread
// of its own, so the event loop never waits for the database: each batch is
// one transaction (store_batch.h), written as soon as the previous one is
// done or `max_delay` after its first item, whichever is later.
//
// Results that came through JetStream carry their message, acknowledged only
// once the transaction committed: if PostgreSQL or this process goes away
// first, the stream delivers them again. When PostgreSQL is away the writer
// keeps the batch and writes it once it is back (database.h: the writer
// never waits on a connect, only between tries).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bus/message.h"
#include "core/store/database.h"
#include "core/store/store_batch.h"
#include "core/store/task_store.h"

namespace tend::store {

struct StoreWriterOptions {
  std::string url;    // [database] url
  std::string owner;  // this coordinator's name, for tasks.owner
  std::chrono::milliseconds max_delay{20};
  size_t max_batch = 20'000;
};

class StoreWriter final : public TaskStore {
 public:
  // Called on the writer's thread with results stored for the first time.
  using OnStored = std::function<void(std::vector<tend::Result>)>;

  StoreWriter(StoreWriterOptions options, OnStored on_stored);
  ~StoreWriter() override;  // stop(): what is queued gets a last chance
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;

  void task_dispatched(const TaskRecord& record) override;
  void task_acknowledged(const std::string& task_id, const std::string& host) override;
  void result_received(const tend::Result& result) override;
  void task_finished(const tend::Summary& summary) override;
  void node_heard(const tend::Heartbeat& heartbeat) override;
  void audit(AuditEntry entry) override;

  // A result from the JetStream consumer; `delivery` is acknowledged after commit.
  void result_delivered(tend::Result result, Message delivery);

  // Items queued or being written, and how long the oldest has waited.
  size_t backlog() const;
  std::chrono::milliseconds lag() const;
  double lag_seconds() const override { return lag().count() / 1000.0; }
  bool keeps_tasks() const override { return true; }
  uint64_t results_stored() const { return results_stored_.load(); }
  bool connected() const { return db_.connected(); }

  // Waits until everything queued before the call is committed.
  bool flush(std::chrono::milliseconds timeout);

  // Writes what is queued, trying for at most `grace`, then stops the thread.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  using Clock = std::chrono::steady_clock;
  struct Pending {
    StoreBatch batch;
    std::vector<Message> deliveries;
    Clock::time_point oldest{};
    uint64_t last_sequence = 0;
  };

  template <typename Add>
  void enqueue(Add add);
  void run();
  bool write(Pending& pending);  // true once committed (or given up at stop)
  void committed(Pending& pending, std::vector<tend::Result> fresh);
  bool pause(std::chrono::milliseconds wait);
  void acknowledge();  // the acker thread: JetStream acks after commit

  StoreWriterOptions options_;
  OnStored on_stored_;
  Database db_;  // the writer thread's alone

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable written_;
  Pending queued_;
  size_t in_flight_ = 0;  // items in the batch being written
  Clock::time_point in_flight_oldest_{};
  uint64_t next_sequence_ = 0;     // items ever queued
  uint64_t written_sequence_ = 0;  // items committed (or given up)
  bool stopping_ = false;
  Clock::time_point stop_deadline_{};

  // When each node's health was last kept as a sample (at most once a minute).
  std::map<std::string, Clock::time_point> health_sampled_at_;
  Clock::time_point pruned_at_{};
  Clock::time_point marked_alive_at_{};  // when the last batch marked this coordinator alive
  std::atomic<uint64_t> results_stored_{0};
  // Committed deliveries waiting for their acks, sent by a thread of their
  // own so the next batch need not wait for tens of thousands of publishes.
  std::mutex ack_mu_;
  std::condition_variable ack_wake_;
  std::vector<Message> to_ack_;
  bool ack_stop_ = false;
  std::thread acker_;
  std::thread thread_;
};

}  // namespace tend::store
