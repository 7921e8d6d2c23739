// One maintenance run working through its batches. It decides, its owner
// acts: dispatch() is called with each batch's task, and the owner hands
// every batch's Summary back through batch_finished(). Time comes from a
// WallClock, so tests drive a whole rollout without waiting.
//
// - The canary batch must pass whole: any host that fails it stops the run.
// - Health gate (default): a batch starts only after the one before has
//   answered; its hosts count as passed when they SUCCEEDED (the agent runs
//   the plugin's verify inside the task, and a failed verify is FAILED).
//   Without the gate, batches start `pause` apart without waiting.
// - Failure budget: once spent, no further batch starts; batches already
//   running finish; the run ends "escalated".
// - No batch starts once the window has closed: the rest is skipped.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/common/wall_clock.h"
#include "core/coordinator/schedules/failure_budget.h"
#include "core/coordinator/schedules/rollout_plan.h"
#include "schemas/progress.pb.h"
#include "schemas/schedule.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {

// What a run is about, fixed when it is claimed.
struct RunSpec {
  std::string run_id;
  tend::Schedule schedule;
  WallClock::time_point window_start;
  WallClock::time_point window_end;
  std::string trigger = "window";            // or run-now
  std::vector<std::string> hosts;            // the run's hosts, after any limit
  std::map<std::string, std::string> roles;  // host → role, for the cap per role
  size_t target_size = 0;                    // hosts the target meant before the limit
  std::optional<uint64_t> seed;              // set when a limit chose the hosts
};

struct HostOutcome {
  std::string host;
  std::string status;  // SUCCEEDED, FAILED, TIMED_OUT, CRASHED, REJECTED, UNREACHABLE, NO_RESULT
  std::string reason;  // the result's error, else its summary
  size_t batch = 0;    // from 1
};

struct RolloutOutcome {
  // running, succeeded, failed (some host needs attention), escalated,
  // window-closed, interrupted, no-hosts
  std::string state = "running";
  std::string why;  // for escalated, window-closed, interrupted
  std::vector<HostOutcome> hosts;
  std::vector<std::string> skipped;
  std::vector<std::string> task_ids;
  size_t batches_run = 0;
  size_t batches_planned = 0;
  WallClock::time_point started_at{};
  WallClock::time_point finished_at{};
};

class Rollout {
 public:
  using Dispatch = std::function<void(tend::Task)>;

  Rollout(RunSpec spec, const WallClock& clock, Dispatch dispatch);

  // Dispatches the first batch, or ends at once when there are no hosts.
  void start();
  // A batch's task ended; its id says which batch.
  void batch_finished(const tend::Summary& summary);
  // Starts a batch whose pause is over; call at next_wake().
  void tick();
  // Stops starting batches (the coordinator is stopping): "interrupted".
  void interrupt(const std::string& why);
  // Starts no further batch (the emergency stop); those running finish and
  // the run ends "interrupted" with `why`.
  void halt(const std::string& why);

  std::optional<WallClock::time_point> next_wake() const { return next_start_; }
  bool finished() const { return outcome_.state != "running"; }
  const RolloutOutcome& outcome() const { return outcome_; }
  const RunSpec& spec() const { return spec_; }
  bool escalated() const { return outcome_.state == "escalated"; }
  // Failed hosts so far.
  size_t failed() const { return failed_; }
  const FailureBudget& budget() const { return budget_; }

  // For tend.progress.<run_id>; `answered` and `failed` are hosts of batches
  // still running that answered already (from their own tallies).
  tend::Progress progress(size_t answered = 0, size_t failed = 0) const;

 private:
  void start_due();
  void stop(std::string state, std::string why);
  void finish_if_done();
  tend::Task batch_task(size_t index) const;

  RunSpec spec_;
  const WallClock& clock_;
  Dispatch dispatch_;
  tend::RolloutSettings settings_;
  Batches batches_;
  FailureBudget budget_;
  size_t next_batch_ = 0;
  size_t in_flight_ = 0;
  size_t failed_ = 0;
  std::optional<WallClock::time_point> next_start_;
  std::optional<std::pair<std::string, std::string>> stopped_;  // state, why
  RolloutOutcome outcome_;
};

}  // namespace tend
