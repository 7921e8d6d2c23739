#include "core/store/store_writer.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include "core/common/thread_name.h"
#include "core/store/copy_text.h"

namespace tend::store {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(3);
// A batch that fails for a reason other than a lost connection is tried this
// many times; past that, retrying cannot help and it would block every later
// batch.
constexpr int kMaxDataFailures = 5;
// Health samples are for trends over weeks, not an archive.
constexpr auto kHealthSampleEvery = std::chrono::seconds(60);
constexpr const char* kPruneHealth =
    "DELETE FROM node_health WHERE at < now() - interval '30 days'";
constexpr auto kPruneEvery = std::chrono::hours(1);
// A coordinator silent for a minute is taken for dead (its tasks are taken
// over): marking it alive every few seconds is plenty, and spares most
// batches a statement.
constexpr auto kMarkAliveEvery = std::chrono::seconds(5);

}  // namespace

StoreWriter::StoreWriter(StoreWriterOptions options, OnStored on_stored)
    : options_(std::move(options)),
      on_stored_(std::move(on_stored)),
      db_(DatabaseOptions{.url = options_.url,
                          .who = "store",
                          .while_away = "what is to be written waits (results in their stream)",
                          .connect_timeout = kConnectTimeout,
                          .prepare = prepare_session}) {
  acker_ = std::thread([this] {
    name_this_thread("store-acker");
    acknowledge();
  });
  thread_ = std::thread([this] {
    name_this_thread("store-writer");
    run();
  });
}

StoreWriter::~StoreWriter() { stop(); }

// Wakes the writer only when it has something new to do: a first item to
// wait `max_delay` for, or a full batch. Items in between join the batch it
// is gathering without a wake-up each.
template <typename Add>
void StoreWriter::enqueue(Add add) {
  bool wake;
  {
    std::lock_guard lock(mu_);
    const bool first = queued_.batch.empty();
    if (first) queued_.oldest = Clock::now();
    add(queued_);
    queued_.last_sequence = ++next_sequence_;
    wake = first || queued_.batch.size() >= options_.max_batch;
  }
  if (wake) wake_.notify_all();
}

void StoreWriter::task_dispatched(const TaskRecord& record) {
  enqueue([&](Pending& p) { p.batch.tasks.push_back(record); });
}

void StoreWriter::task_acknowledged(const std::string& task_id, const std::string& host) {
  enqueue([&](Pending& p) { p.batch.acks.push_back({task_id, host, now_us()}); });
}

void StoreWriter::result_received(const tend::Result& result) {
  enqueue([&](Pending& p) { p.batch.results.push_back(result); });
}

void StoreWriter::result_delivered(tend::Result result, Message delivery) {
  enqueue([&](Pending& p) {
    p.batch.results.push_back(std::move(result));
    p.deliveries.push_back(std::move(delivery));
  });
}

void StoreWriter::task_finished(const tend::Summary& summary) {
  enqueue([&](Pending& p) { p.batch.finished.push_back({summary, now_us()}); });
}

void StoreWriter::node_heard(const tend::Heartbeat& heartbeat) {
  int64_t now = now_us();
  enqueue([&](Pending& p) {
    auto [it, added] = p.batch.nodes.try_emplace(heartbeat.host());
    if (added) it->second.first_us = now;
    it->second.heartbeat = heartbeat;
    it->second.last_us = now;
    auto& sampled = health_sampled_at_[heartbeat.host()];
    if (Clock::now() - sampled >= kHealthSampleEvery) {
      sampled = Clock::now();
      it->second.sample_health = true;
    }
  });
}

void StoreWriter::audit(AuditEntry entry) {
  if (entry.at_us == 0) entry.at_us = now_us();
  enqueue([&](Pending& p) { p.batch.audit.push_back(std::move(entry)); });
}

size_t StoreWriter::backlog() const {
  std::lock_guard lock(mu_);
  return queued_.batch.size() + in_flight_;
}

std::chrono::milliseconds StoreWriter::lag() const {
  std::lock_guard lock(mu_);
  Clock::time_point oldest{};
  if (in_flight_ > 0) oldest = in_flight_oldest_;
  if (!queued_.batch.empty() && (oldest == Clock::time_point{} || queued_.oldest < oldest)) {
    oldest = queued_.oldest;
  }
  if (oldest == Clock::time_point{}) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - oldest);
}

bool StoreWriter::flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  uint64_t target = next_sequence_;
  return written_.wait_for(lock, timeout, [&] { return written_sequence_ >= target; });
}

void StoreWriter::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    stop_deadline_ = Clock::now() + grace;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(ack_mu_);
    ack_stop_ = true;
  }
  ack_wake_.notify_all();
  if (acker_.joinable()) acker_.join();
}

void StoreWriter::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || !queued_.batch.empty(); });
    if (queued_.batch.empty()) return;  // stopping, nothing left
    // Let a burst gather into one transaction.
    wake_.wait_until(lock, queued_.oldest + options_.max_delay,
                     [&] { return stopping_ || queued_.batch.size() >= options_.max_batch; });
    Pending pending = std::exchange(queued_, Pending{});
    in_flight_ = pending.batch.size();
    in_flight_oldest_ = pending.oldest;
    lock.unlock();
    write(pending);
    lock.lock();
    in_flight_ = 0;
    written_sequence_ = pending.last_sequence;
    written_.notify_all();
  }
}

void StoreWriter::acknowledge() {
  std::unique_lock lock(ack_mu_);
  for (;;) {
    ack_wake_.wait(lock, [this] { return ack_stop_ || !to_ack_.empty(); });
    if (to_ack_.empty()) return;  // stopping, nothing left: the acks all went out
    std::vector<Message> batch = std::exchange(to_ack_, {});
    lock.unlock();
    for (const auto& delivery : batch) {
      if (auto ok = delivery.ack(); !ok) {
        spdlog::debug("store: {} (the stream delivers it again; stored once)", ok.error().message);
      }
    }
    lock.lock();
  }
}

// Tries until the batch is committed: a server that is away is waited for
// (the back-off paces the tries), a batch it refuses is tried a few times.
bool StoreWriter::write(Pending& pending) {
  Backoff refused;
  int data_failures = 0;
  std::optional<Clock::time_point> first_failure;
  for (;;) {
    const bool mark = Clock::now() - marked_alive_at_ >= kMarkAliveEvery;
    auto fresh = db_.run<std::vector<tend::Result>>(
        [&](PgConnection& conn) { return write_batch(conn, pending.batch, options_.owner, mark); });
    if (fresh) {
      if (mark) marked_alive_at_ = Clock::now();
      if (first_failure) {
        spdlog::info("store: caught up ({} item(s) written after {} s)", pending.batch.size(),
                     std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - *first_failure)
                         .count());
      }
      committed(pending, std::move(*fresh));
      return true;
    }
    std::chrono::milliseconds wait = db_.next_try_in();
    if (db_.connected()) {
      ++data_failures;
      spdlog::error("store: batch of {} item(s) not written (try {} of {}): {}",
                    pending.batch.size(), data_failures, kMaxDataFailures, fresh.error().message);
      if (data_failures >= kMaxDataFailures) {
        spdlog::error(
            "store: giving up on that batch; its JetStream results stay "
            "unacknowledged and come again");
        return false;
      }
      wait = refused.next();
    } else if (!first_failure) {
      spdlog::error("store: keeping {} item(s) until PostgreSQL is back", pending.batch.size());
    }
    if (!first_failure) first_failure = Clock::now();
    if (!pause(wait)) {
      spdlog::error(
          "store: stopping with {} item(s) not written (results among them stay in "
          "the JetStream stream for the next start)",
          pending.batch.size());
      return false;
    }
  }
}

// After a commit: JetStream acks, the results' listener, pruning now and then.
void StoreWriter::committed(Pending& pending, std::vector<tend::Result> fresh) {
  if (!pending.deliveries.empty()) {
    {
      std::lock_guard lock(ack_mu_);
      for (auto& delivery : pending.deliveries) to_ack_.push_back(std::move(delivery));
    }
    ack_wake_.notify_one();
  }
  results_stored_ += fresh.size();
  if (on_stored_ && !fresh.empty()) on_stored_(std::move(fresh));
  if (Clock::now() - pruned_at_ >= kPruneEvery) {
    pruned_at_ = Clock::now();
    if (auto ok = db_.exec(kPruneHealth); !ok) {
      spdlog::warn("store: old health samples not pruned: {}", ok.error().message);
    }
  }
}

// Waits `wait` before the next try; false once stopping and past the grace.
bool StoreWriter::pause(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  if (stopping_ && Clock::now() >= stop_deadline_) return false;
  auto until = Clock::now() + wait;
  if (stopping_) until = std::min(until, stop_deadline_);
  wake_.wait_until(lock, until, [] { return false; });
  return true;
}

}  // namespace tend::store
