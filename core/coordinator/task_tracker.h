// One task in flight: who is expected, who acknowledged, who answered, and
// whether waiting any longer can change the answer. Pure logic with time
// passed in; the coordinator's event loop owns one per task.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/coordinator/summary_text.h"
#include "schemas/progress.pb.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {

class TaskTracker {
 public:
  using Clock = std::chrono::steady_clock;

  struct Deadlines {
    Clock::time_point dispatched_at;
    std::chrono::milliseconds ack_timeout;  // a node silent this long is unreachable
    std::chrono::milliseconds run_limit;    // the task's timeout plus grace
  };

  // `audience` says whom the task was for ("target roles=web"), for the text.
  TaskTracker(tend::Task task, std::vector<std::string> expected_hosts, Deadlines deadlines,
              std::string audience);

  const tend::Task& task() const { return task_; }
  const std::set<std::string>& expected_hosts() const { return expected_; }

  // Adds hosts to the expected set (the same task published on one more subject).
  void expect(const std::vector<std::string>& hosts);

  void acknowledged(const std::string& host);

  // Keeps the first result from each host, expected or not; false for a
  // second one from the same host, which changes nothing, and for one from
  // an unexpected host past kMaxUnexpectedHosts.
  bool record(const tend::Result& result);

  // Results and ACKs from hosts nobody expected are counted, up to this many
  // per task: a flood of forged host names cannot grow a task without end.
  static constexpr size_t kMaxUnexpectedHosts = 1000;

  // True when waiting longer cannot change the summary: every expected host
  // answered, or each one still silent either never acknowledged by the ack
  // deadline or is past the final deadline.
  bool finished(Clock::time_point now) const;

  // When finished() may next turn true by time alone.
  Clock::time_point next_deadline(Clock::time_point now) const;

  // Complete only when every expected host answered and the task was not cut
  // short by a shutdown.
  tend::Summary summary(Clock::time_point now, TaskEnding ending) const;

  // The running count, for tend.progress.<id>.
  tend::Progress tally(Clock::time_point now) const;

 private:
  Clock::time_point ack_deadline() const;
  Clock::time_point final_deadline() const;
  std::vector<std::string> silent_hosts() const;  // expected, no result yet

  tend::Task task_;
  std::set<std::string> expected_;
  std::set<std::string> acknowledged_;
  std::map<std::string, tend::Result> results_;  // by host, so sorted
  Deadlines deadlines_;
  std::string audience_;
  size_t unexpected_acks_ = 0;
  size_t unexpected_results_ = 0;
};

}  // namespace tend
