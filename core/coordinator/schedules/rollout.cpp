#include "core/coordinator/schedules/rollout.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

#include "core/coordinator/schedules/schedule_definition.h"

namespace tend {
namespace {

RolloutShape shape_of(const tend::RolloutSettings& r) {
  RolloutShape shape;
  shape.canary = r.canary();
  if (!r.batch().empty()) {
    if (auto count = HostCount::parse(r.batch())) shape.batch = *count;
  }
  shape.max_per_role = r.max_per_role();
  return shape;
}

FailureBudget budget_of(const tend::RolloutSettings& r, size_t total) {
  return FailureBudget(
      total, r.has_max_failures() ? std::optional<size_t>(r.max_failures()) : std::nullopt,
      r.has_max_failure_percent() ? std::optional<double>(r.max_failure_percent()) : std::nullopt);
}

std::string reason_of(const tend::Result& result) {
  return result.error().empty() ? result.summary() : result.error();
}

}  // namespace

Rollout::Rollout(RunSpec spec, const WallClock& clock, Dispatch dispatch)
    : spec_(std::move(spec)),
      clock_(clock),
      dispatch_(std::move(dispatch)),
      settings_(effective_rollout(spec_.schedule)),
      batches_(plan_batches(spec_.hosts, spec_.roles, shape_of(settings_))),
      budget_(budget_of(settings_, spec_.hosts.size())) {
  outcome_.batches_planned = batches_.size();
}

void Rollout::start() {
  outcome_.started_at = clock_.now();
  if (batches_.empty()) {
    stop("no-hosts", "the target matched no host");
    finish_if_done();
    return;
  }
  next_start_ = clock_.now();
  start_due();
}

void Rollout::tick() {
  if (finished()) return;
  start_due();
}

void Rollout::start_due() {
  const auto now = clock_.now();
  while (!stopped_ && next_start_ && *next_start_ <= now && next_batch_ < batches_.size()) {
    if (now >= spec_.window_end) {
      stop("window-closed", "the window closed before every batch could start");
      break;
    }
    const size_t index = next_batch_++;
    ++in_flight_;
    ++outcome_.batches_run;
    tend::Task task = batch_task(index);
    outcome_.task_ids.push_back(task.id());
    // Gated: the next batch waits for this one's summary; else for the pause.
    next_start_.reset();
    if (!settings_.health_gate() && next_batch_ < batches_.size()) {
      next_start_ = now + std::chrono::seconds(settings_.pause_s());
    }
    dispatch_(std::move(task));
  }
  if (stopped_ || next_batch_ >= batches_.size()) next_start_.reset();
  finish_if_done();
}

tend::Task Rollout::batch_task(size_t index) const {
  const auto& s = spec_.schedule;
  tend::Task task;
  task.set_id(fmt::format("{}-b{}", spec_.run_id, index + 1));
  for (const auto& host : batches_[index]) task.mutable_target()->add_hosts(host);
  task.set_plugin(s.plugin());
  *task.mutable_params() = s.params();
  task.set_dry_run(s.dry_run());
  task.set_timeout_s(s.timeout_s());
  task.set_reason(fmt::format("maintenance window '{}' (run {}), batch {}/{}{}", s.name(),
                              spec_.run_id, index + 1, batches_.size(),
                              settings_.canary() > 0 && index == 0 ? " (canary)" : ""));
  task.set_requested_by("schedule:" + s.name());
  return task;
}

void Rollout::batch_finished(const tend::Summary& summary) {
  if (in_flight_ == 0) return;
  --in_flight_;
  size_t batch = 0;
  for (size_t i = 0; i < outcome_.task_ids.size(); ++i) {
    if (outcome_.task_ids[i] == summary.task_id()) batch = i + 1;
  }
  size_t failed_here = 0;
  std::set<std::string> answered;
  for (const auto& result : summary.results()) {
    answered.insert(result.host());
    HostOutcome host{result.host(), tend::Status_Name(result.status()), reason_of(result), batch};
    if (result.status() == tend::SUCCEEDED)
      host.reason.clear();
    else
      ++failed_here;
    outcome_.hosts.push_back(std::move(host));
  }
  for (const auto& h : summary.unreachable()) {
    if (answered.insert(h).second) {
      outcome_.hosts.push_back({h, "UNREACHABLE", "never acknowledged the task", batch});
      ++failed_here;
    }
  }
  for (const auto& h : summary.missing()) {
    if (answered.insert(h).second) {
      outcome_.hosts.push_back({h, "NO_RESULT", "acknowledged, but sent no result in time", batch});
      ++failed_here;
    }
  }
  failed_ += failed_here;
  if (batch == 1 && settings_.canary() > 0 && failed_here > 0) {
    stop("escalated", fmt::format("the canary batch failed on {} of {} host(s)", failed_here,
                                  batches_[0].size()));
  } else if (budget_.spent(failed_)) {
    stop("escalated", fmt::format("failure budget spent: {}", budget_.describe()));
  }
  if (settings_.health_gate() && !stopped_ && next_batch_ < batches_.size()) {
    next_start_ = clock_.now() + std::chrono::seconds(settings_.pause_s());
  }
  start_due();
}

void Rollout::interrupt(const std::string& why) {
  if (finished()) return;
  if (!stopped_) stop("interrupted", why);
  in_flight_ = 0;  // their summaries will not come to us any more
  finish_if_done();
}

void Rollout::halt(const std::string& why) {
  if (finished()) return;
  stop("interrupted", why);
  finish_if_done();
}

void Rollout::stop(std::string state, std::string why) {
  if (stopped_) return;
  stopped_ = {std::move(state), std::move(why)};
  next_start_.reset();
}

void Rollout::finish_if_done() {
  if (finished() || in_flight_ > 0) return;
  if (!stopped_ && next_batch_ < batches_.size()) return;
  for (size_t i = next_batch_; i < batches_.size(); ++i) {
    for (const auto& host : batches_[i]) outcome_.skipped.push_back(host);
  }
  if (stopped_) {
    outcome_.state = stopped_->first;
    outcome_.why = stopped_->second;
  } else {
    outcome_.state = failed_ > 0 ? "failed" : "succeeded";
  }
  outcome_.finished_at = clock_.now();
}

tend::Progress Rollout::progress(size_t answered, size_t failed) const {
  if (finished()) answered = failed = 0;
  const size_t done = outcome_.hosts.size() + answered;
  const size_t failures = failed_ + failed;
  tend::Progress p;
  p.set_task_id(spec_.run_id);
  p.set_kind(tend::Progress::TALLY);
  p.set_expected(static_cast<uint32_t>(spec_.hosts.size()));
  p.set_responded(static_cast<uint32_t>(done));
  p.set_failed(static_cast<uint32_t>(failures));
  p.set_succeeded(static_cast<uint32_t>(done - failures));
  p.set_batch(static_cast<uint32_t>(outcome_.batches_run));
  p.set_batches(static_cast<uint32_t>(batches_.size()));
  p.set_skipped(static_cast<uint32_t>(outcome_.skipped.size()));
  p.set_finished(finished());
  std::string state = outcome_.state;
  if (!finished()) state = in_flight_ > 0 ? "running" : next_start_ ? "pausing" : "stopping";
  p.set_state(state);
  p.set_text(fmt::format(
      "{}: batch {}/{}; {}/{} hosts done ({} ok, {} failed){}", state, outcome_.batches_run,
      batches_.size(), done, spec_.hosts.size(), done - failures, failures,
      outcome_.skipped.empty() ? "" : fmt::format(", {} skipped", outcome_.skipped.size())));
  return p;
}

}  // namespace tend
