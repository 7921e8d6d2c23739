// Every subject tend uses, built in one place from one prefix (default
// "tend"). Names that end up in a subject are validated before they get here:
// see bus/names.h.
#pragma once

#include <string>
#include <string_view>

namespace tend {

// The queue group every coordinator joins for requests (tend.submit, queries,
// alerts, schedules): one coordinator of the group answers each.
inline constexpr const char* kCoordinatorQueueGroup = "tend-coordinator";

class Subjects {
 public:
  explicit Subjects(std::string prefix = "tend") : prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }

  std::string task_host(std::string_view host) const { return join("task.host", host); }
  std::string task_role(std::string_view role) const { return join("task.role", role); }
  std::string task_tag(std::string_view tag) const { return join("task.tag", tag); }
  std::string task_all() const { return prefix_ + ".task.all"; }
  std::string task_any() const { return prefix_ + ".task.>"; }

  std::string result(std::string_view task_id) const { return join("result", task_id); }
  std::string result_any() const { return prefix_ + ".result.*"; }

  std::string submit() const { return prefix_ + ".submit"; }
  std::string nodes() const { return prefix_ + ".nodes"; }

  // What the store remembers, answered by a coordinator with a database.
  std::string history() const { return prefix_ + ".history"; }
  std::string show() const { return prefix_ + ".show"; }
  std::string audit_tail() const { return prefix_ + ".audit.tail"; }
  std::string audit_verify() const { return prefix_ + ".audit.verify"; }

  std::string progress(std::string_view task_id) const { return join("progress", task_id); }
  std::string progress_any() const { return prefix_ + ".progress.*"; }
  std::string summary(std::string_view task_id) const { return join("summary", task_id); }
  std::string summary_any() const { return prefix_ + ".summary.*"; }

  std::string heartbeat(std::string_view host) const { return join("heartbeat", host); }
  std::string heartbeat_any() const { return prefix_ + ".heartbeat.*"; }

  std::string control(std::string_view host) const { return join("control", host); }
  std::string control_all() const { return prefix_ + ".control.all"; }
  std::string control_any() const { return prefix_ + ".control.>"; }

  std::string approve(std::string_view task_id) const { return join("approve", task_id); }
  std::string deny(std::string_view task_id) const { return join("deny", task_id); }
  std::string approve_any() const { return prefix_ + ".approve.*"; }
  std::string deny_any() const { return prefix_ + ".deny.*"; }
  std::string report(std::string_view name) const { return join("report", name); }

  // Maintenance schedules: requests to the coordinators (add, list, show,
  // pause, resume, remove, run-now), reports and run status on request, and
  // where runs that need a human are announced.
  std::string schedule_request(std::string_view verb) const { return join("schedule", verb); }
  std::string schedule_any() const { return prefix_ + ".schedule.*"; }
  std::string runs_request(std::string_view what) const { return join("runs", what); }
  std::string runs_any() const { return prefix_ + ".runs.*"; }
  std::string escalation() const { return prefix_ + ".escalation"; }
  // Alerts: Alertmanager notifications, escalations to humans, and the
  // requests tendctl sends about incidents, approvals, the knowledge base
  // and the circuit breakers.
  std::string alert() const { return prefix_ + ".alert"; }
  std::string incidents() const { return prefix_ + ".incidents"; }
  std::string pending() const { return prefix_ + ".pending"; }
  std::string kb() const { return prefix_ + ".kb"; }
  std::string kb_adjust() const { return prefix_ + ".kb.adjust"; }
  std::string breakers() const { return prefix_ + ".breakers"; }
  std::string breakers_reset() const { return prefix_ + ".breakers.reset"; }

  std::string result_all() const { return prefix_ + ".result.>"; }
  // The JetStream stream that keeps every result until the store has it:
  // "TEND_RESULTS" for the prefix "tend".
  std::string results_stream() const { return stream_name("RESULTS"); }

  // The last token of a subject, e.g. the task id of "tend.result.<id>".
  static std::string_view last_token(std::string_view subject);

 private:
  std::string join(std::string_view middle, std::string_view name) const;
  std::string stream_name(std::string_view what) const;

  std::string prefix_;
};

}  // namespace tend
