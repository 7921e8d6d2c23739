// What tend-coordinator tells Prometheus through node_exporter's textfile
// collector (tend_coordinator.prom): tasks by origin and outcome, tasks in
// flight, nodes online and offline, and the result store's progress and
// pending approvals. Thread-safe: the event loop, the store's thread and the
// exporter's thread all use it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "core/coordinator/dispatch/task_origin.h"
#include "schemas/summary.pb.h"

namespace tend {

// How a task ended, from its Summary, in this order of precedence:
//   "no_hosts"    no host was expected and none answered (the target matched nothing);
//   "failed"      at least one host answered with something other than SUCCEEDED;
//   "incomplete"  no failure, but some expected host never answered (or the
//                 coordinator stopped first);
//   "succeeded"   every expected host answered SUCCEEDED.
std::string_view task_outcome(const tend::Summary& summary);
inline constexpr std::array<std::string_view, 4> kTaskOutcomes{"succeeded", "failed", "incomplete",
                                                               "no_hosts"};

// Which bound a refusal met (README "Limits"): a submit past [limits]
// max_in_flight, a message past an event queue's bound, a heartbeat of a new
// node past max_nodes, an HTTP connection past [http] max_connections.
inline constexpr std::array<std::string_view, 4> kRefusalBounds{"in_flight", "event_queue", "nodes",
                                                                "http_connections"};

class CoordinatorMetrics {
 public:
  CoordinatorMetrics(std::string version, double start_time_seconds);

  // From the event loop.
  void task_finished(TaskOrigin origin, const tend::Summary& summary);
  void set_tasks_in_flight(size_t count);
  void set_nodes(size_t online, size_t offline);

  // From the result store and the approvals, on any thread.
  void results_stored(uint64_t count);   // adds `count` results now safely stored
  void store_lag(double seconds);        // how far the store is behind published results
  void pending_approvals(size_t count);  // tasks waiting for a human's approve or deny

  // One message or connection refused at `bound` (one of kRefusalBounds); any thread.
  void refused(std::string_view bound);

  // False once the coordinator has stopped: the file then says so.
  void set_up(bool up);

  // The whole file, in the text exposition format.
  std::string render() const;

 private:
  const std::string version_;
  const double start_time_;

  mutable std::mutex mu_;
  std::map<std::pair<std::string_view, std::string_view>, uint64_t> tasks_;  // origin, outcome
  size_t in_flight_ = 0;
  size_t online_ = 0;
  size_t offline_ = 0;
  uint64_t results_stored_ = 0;
  double store_lag_ = 0;
  size_t pending_approvals_ = 0;
  std::map<std::string_view, uint64_t> refused_;  // by bound
  bool up_ = true;
};

}  // namespace tend
