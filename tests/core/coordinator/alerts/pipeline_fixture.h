// The alert pipeline with everything real but the coordinator and the clock:
// a fresh PostgreSQL database, the shared nats-server (a subject prefix of
// the test's own), a FixRunner that records the fixes it is asked to run and
// lets the test finish them, and a clock the test moves.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/coordinator/alerts/alert_pipeline.h"
#include "core/coordinator/alerts/alert_requests.h"
#include "core/coordinator/alerts/route_table.h"
#include "core/store/migrations.h"
#include "core/store/pg_connection.h"
#include "tests/core/store/store_test_database.h"
#include "tests/support/nats_server.h"

namespace tend::alerts {

class RecordingRunner final : public FixRunner {
 public:
  struct Run {
    tend::Task task;
    std::function<void(const tend::Summary&)> done;
  };

  void run(tend::Task task, std::function<void(const tend::Summary&)> done) override;
  std::vector<std::string> hosts(const tend::Target& target) override;

  // Waits until `count` fixes were asked for; the fixes so far.
  std::vector<tend::Task> wait_for(size_t count, std::chrono::milliseconds timeout);
  size_t count();
  // Ends fix `index` with a summary of `hosts` results, all SUCCEEDED and
  // verified, or all FAILED with `error`.
  void finish(size_t index, bool succeeded, const std::string& error = "");

  std::vector<std::string> fleet{"web-01", "web-02", "web-03", "web-04"};

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Run> runs_;
};

class RecordingStore final : public store::TaskStore {
 public:
  void task_dispatched(const store::TaskRecord&) override {}
  void task_acknowledged(const std::string&, const std::string&) override {}
  void result_received(const tend::Result&) override {}
  void task_finished(const tend::Summary&) override {}
  void node_heard(const tend::Heartbeat&) override {}
  void audit(store::AuditEntry entry) override;

  std::vector<store::AuditEntry> entries();
  // The actions audited, in order ("alert", "decision", ...).
  std::vector<std::string> actions();

 private:
  std::mutex mu_;
  std::vector<store::AuditEntry> entries_;
};

class ManualClock {
 public:
  WallTime now() const { return WallTime(WallTime::duration(ticks_.load())); }
  void advance(std::chrono::seconds d) {
    ticks_ += std::chrono::duration_cast<WallTime::duration>(d).count();
  }

 private:
  std::atomic<int64_t> ticks_{std::chrono::system_clock::now().time_since_epoch().count()};
};

class PipelineTest : public store::StoreTest {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts (or restarts) the pipeline over `routes_toml`.
  void start(const std::string& routes_toml);
  void stop();

  // Hands the pipeline one notification, as from one Alertmanager, and waits
  // until it is handled.
  void fire(const Labels& labels, const Labels& annotations = {});
  void resolve(const Labels& labels);
  void send(Alert alert);
  // Moves the clock and lets the timers run.
  void advance(std::chrono::seconds d);
  void settle();
  // An operator's control message on tend.control.all.
  void control_all(const std::string& action, const std::string& by, const std::string& reason);
  // Subscribes the pipeline's NATS requests (tend.incidents, tend.approve.*, ...).
  void serve_requests();
  // A request on `subject` with a JSON body; the JSON answer.
  std::string ask(const std::string& subject, const std::string& json);

  std::string text(const std::string& sql);

  AlertsConfig config_;
  ManualClock clock_;
  RecordingRunner runner_;
  RecordingStore store_;
  std::unique_ptr<Connection> nats_;
  Subjects subjects_;
  std::unique_ptr<AlertPipeline> pipeline_;
  std::unique_ptr<AlertRequests> requests_;
};

}  // namespace tend::alerts
