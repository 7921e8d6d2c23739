#include "core/coordinator/task_tracker.h"

#include <algorithm>

namespace tend {

TaskTracker::TaskTracker(tend::Task task, std::vector<std::string> expected_hosts,
                         Deadlines deadlines, std::string audience)
    : task_(std::move(task)),
      expected_(expected_hosts.begin(), expected_hosts.end()),
      deadlines_(deadlines),
      audience_(std::move(audience)) {}

void TaskTracker::expect(const std::vector<std::string>& hosts) {
  expected_.insert(hosts.begin(), hosts.end());
}

void TaskTracker::acknowledged(const std::string& host) {
  if (expected_.contains(host)) {
    acknowledged_.insert(host);
  } else if (unexpected_acks_ < kMaxUnexpectedHosts && acknowledged_.insert(host).second) {
    ++unexpected_acks_;
  }
}

bool TaskTracker::record(const tend::Result& result) {
  const bool expected = expected_.contains(result.host());
  if (!expected && unexpected_results_ >= kMaxUnexpectedHosts) return false;
  if (!results_.try_emplace(result.host(), result).second) return false;
  if (!expected) ++unexpected_results_;
  return true;
}

TaskTracker::Clock::time_point TaskTracker::ack_deadline() const {
  return deadlines_.dispatched_at + deadlines_.ack_timeout;
}

TaskTracker::Clock::time_point TaskTracker::final_deadline() const {
  return deadlines_.dispatched_at + deadlines_.run_limit;
}

std::vector<std::string> TaskTracker::silent_hosts() const {
  std::vector<std::string> silent;
  for (const auto& host : expected_) {
    if (!results_.contains(host)) silent.push_back(host);
  }
  return silent;
}

bool TaskTracker::finished(Clock::time_point now) const {
  auto silent = silent_hosts();
  if (silent.empty() || now >= final_deadline()) return true;
  if (now < ack_deadline()) return false;
  return std::none_of(silent.begin(), silent.end(),
                      [&](const std::string& host) { return acknowledged_.contains(host); });
}

TaskTracker::Clock::time_point TaskTracker::next_deadline(Clock::time_point now) const {
  if (now < ack_deadline() && ack_deadline() < final_deadline()) return ack_deadline();
  return final_deadline();
}

tend::Summary TaskTracker::summary(Clock::time_point now, TaskEnding ending) const {
  tend::Summary s;
  s.set_task_id(task_.id());
  s.set_plugin(task_.plugin());
  s.set_dry_run(task_.dry_run());
  s.set_expected(static_cast<uint32_t>(expected_.size()));
  s.set_responded(static_cast<uint32_t>(results_.size()));
  for (const auto& [host, result] : results_) {
    if (result.status() == tend::SUCCEEDED) {
      s.set_succeeded(s.succeeded() + 1);
    } else {
      s.set_failed(s.failed() + 1);
    }
    *s.add_results() = result;
  }
  for (const auto& host : silent_hosts()) {
    s.add_missing(host);
    if (acknowledged_.contains(host)) {
      s.add_no_result(host);
    } else {
      s.add_unreachable(host);
    }
  }
  s.set_complete(s.missing().empty() && ending == TaskEnding::kFinished);
  auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - deadlines_.dispatched_at);
  s.set_duration_ms(static_cast<uint64_t>(std::max<int64_t>(elapsed.count(), 0)));
  s.set_text(summary_text(s, audience_, ending));
  return s;
}

tend::Progress TaskTracker::tally(Clock::time_point now) const {
  tend::Summary s = summary(now, TaskEnding::kFinished);
  tend::Progress p;
  p.set_task_id(task_.id());
  p.set_kind(tend::Progress::TALLY);
  p.set_expected(s.expected());
  p.set_responded(s.responded());
  p.set_succeeded(s.succeeded());
  p.set_failed(s.failed());
  p.set_text(tally_text(s));
  return p;
}

}  // namespace tend
