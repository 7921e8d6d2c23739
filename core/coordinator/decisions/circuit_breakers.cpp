#include "core/coordinator/decisions/circuit_breakers.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace tend::decisions {
namespace {

using namespace std::chrono_literals;

constexpr auto kRateWindow = 1h;

std::string words(std::chrono::seconds d) {
  const auto s = d.count();
  if (s % 3600 == 0 && s >= 3600) return fmt::format("{}h", s / 3600);
  if (s % 60 == 0 && s >= 60) return fmt::format("{}m", s / 60);
  return fmt::format("{}s", s);
}

}  // namespace

std::string_view breaker_state_name(BreakerState state) {
  switch (state) {
    case BreakerState::kClosed:
      return "closed";
    case BreakerState::kOpen:
      return "open";
    case BreakerState::kHalfOpen:
      return "half_open";
  }
  return "closed";
}

BreakerState breaker_state_from_name(std::string_view name) {
  if (name == "open") return BreakerState::kOpen;
  if (name == "half_open") return BreakerState::kHalfOpen;
  return BreakerState::kClosed;
}

std::string CircuitBreakers::rate_key(const std::string& service, const std::string& host) const {
  return service + "@" + host;
}

Breaker& CircuitBreakers::breaker(const std::string& kind, const std::string& key) {
  auto [it, inserted] = breakers_.try_emplace({kind, key});
  if (inserted) {
    it->second.kind = kind;
    it->second.key = key;
  }
  return it->second;
}

void CircuitBreakers::open(Breaker& b, std::string reason, WallTime now) {
  const BreakerState from = b.state;
  b.state = BreakerState::kOpen;
  b.reason = std::move(reason);
  b.opened_at = now;
  b.probe_task.clear();
  changes_.push_back({b, from});
}

void CircuitBreakers::close(Breaker& b, WallTime, const std::string& by, const std::string& why) {
  const BreakerState from = b.state;
  b.state = BreakerState::kClosed;
  b.reason.clear();
  b.probe_task.clear();
  changes_.push_back({b, from, by, why});
}

void CircuitBreakers::half_open_if_cooled(Breaker& b, WallTime now) {
  if (b.state != BreakerState::kOpen || now - b.opened_at < settings_.cool_down) return;
  b.state = BreakerState::kHalfOpen;
  b.probe_task.clear();
  changes_.push_back({b, BreakerState::kOpen});
}

void CircuitBreakers::prune(WallTime now) {
  for (auto it = dispatches_.begin(); it != dispatches_.end();) {
    auto& times = it->second;
    while (!times.empty() && now - times.front() >= kRateWindow) times.pop_front();
    it = times.empty() ? dispatches_.erase(it) : std::next(it);
  }
  while (!outcomes_.empty() && now - outcomes_.front().first >= settings_.fleet_window) {
    outcomes_.pop_front();
  }
}

CircuitBreakers::Verdict CircuitBreakers::check(const std::string& pattern,
                                                const std::string& service, const std::string& host,
                                                WallTime now) {
  prune(now);
  Verdict verdict;
  if (auto it = breakers_.find({kPatternBreaker, pattern}); it != breakers_.end()) {
    Breaker& b = it->second;
    half_open_if_cooled(b, now);
    if (b.state == BreakerState::kOpen) {
      verdict.pattern = fmt::format("breaker {} is open: {}", pattern, b.reason);
    } else if (b.state == BreakerState::kHalfOpen && !b.probe_task.empty()) {
      verdict.pattern = fmt::format("breaker {} is half-open and its probe fix {} has not ended",
                                    pattern, b.probe_task);
    }
  }
  if (auto it = breakers_.find({kFleetBreaker, kFleetKey}); it != breakers_.end()) {
    Breaker& b = it->second;
    half_open_if_cooled(b, now);
    if (b.state == BreakerState::kOpen) {
      verdict.automatic = b.reason;
    } else if (b.state == BreakerState::kHalfOpen && !b.probe_task.empty()) {
      verdict.automatic = fmt::format(
          "automatic fixes are paused fleet-wide until the probe fix {} verifies", b.probe_task);
    }
  }
  const std::string key = rate_key(service, host);
  const size_t count = dispatches_.contains(key) ? dispatches_[key].size() : 0;
  auto rate = breakers_.find({kRateBreaker, key});
  if (count >= settings_.max_fixes_per_hour) {
    std::string reason = fmt::format(
        "{} automatic fixes for {} on {} within the last hour ([breakers] max_fixes_per_hour is "
        "{})",
        count, service, host, settings_.max_fixes_per_hour);
    Breaker& b = breaker(kRateBreaker, key);
    if (b.state != BreakerState::kOpen) open(b, reason, now);
    if (!verdict.automatic) verdict.automatic = reason;
  } else if (rate != breakers_.end() && rate->second.state != BreakerState::kClosed) {
    close(rate->second, now);  // the hour moved on
  }
  return verdict;
}

void CircuitBreakers::dispatched(const std::string& pattern, const std::string& service,
                                 const std::string& host, const std::string& task_id,
                                 bool automatic, WallTime now) {
  if (automatic) dispatches_[rate_key(service, host)].push_back(now);
  auto probe = [&](const char* kind, const std::string& key) {
    auto it = breakers_.find({kind, key});
    if (it == breakers_.end() || it->second.state != BreakerState::kHalfOpen ||
        !it->second.probe_task.empty()) {
      return;
    }
    it->second.probe_task = task_id;
    changes_.push_back({it->second, BreakerState::kHalfOpen});
  };
  probe(kPatternBreaker, pattern);
  if (automatic) probe(kFleetBreaker, kFleetKey);
}

void CircuitBreakers::finished(const std::string& pattern, const std::string& task_id,
                               bool automatic, bool verified, uint64_t consecutive_failures,
                               WallTime now) {
  // The pattern's own breaker.
  auto it = breakers_.find({kPatternBreaker, pattern});
  if (verified) {
    if (it != breakers_.end() && it->second.state != BreakerState::kClosed) close(it->second, now);
  } else if (it != breakers_.end() && it->second.state == BreakerState::kHalfOpen) {
    open(it->second, fmt::format("its probe fix {} failed too", task_id), now);
  } else if (consecutive_failures >= settings_.max_consecutive_failures &&
             (it == breakers_.end() || it->second.state == BreakerState::kClosed)) {
    open(breaker(kPatternBreaker, pattern),
         fmt::format("the last {} fixes of {} failed ([breakers] max_consecutive_failures is "
                     "{}); a probe fix may run after {}",
                     consecutive_failures, pattern, settings_.max_consecutive_failures,
                     words(settings_.cool_down)),
         now);
  }
  if (!automatic) return;

  // The fleet's.
  outcomes_.emplace_back(now, verified);
  prune(now);
  auto fleet = breakers_.find({kFleetBreaker, kFleetKey});
  if (fleet != breakers_.end() && fleet->second.state == BreakerState::kHalfOpen &&
      fleet->second.probe_task == task_id) {
    if (verified) {
      outcomes_.clear();  // a fresh start: the failures that opened it are behind
      fleet->second.reset_at = now;
      close(fleet->second, now);
    } else {
      open(fleet->second,
           fmt::format("the probe fix {} failed: automatic fixes stay paused fleet-wide", task_id),
           now);
    }
    return;
  }
  if (fleet != breakers_.end() && fleet->second.state != BreakerState::kClosed) return;
  const size_t total = outcomes_.size();
  const size_t failed = static_cast<size_t>(
      std::count_if(outcomes_.begin(), outcomes_.end(), [](const auto& o) { return !o.second; }));
  if (total < settings_.fleet_min_fixes) return;
  const double rate = static_cast<double>(failed) / static_cast<double>(total);
  if (rate <= settings_.fleet_failure_rate) return;
  open(breaker(kFleetBreaker, kFleetKey),
       fmt::format("{} of {} automatic fixes failed within {} ({:.0f}%, more than [breakers] "
                   "fleet_failure_rate {:.0f}%): automatic fixes are paused fleet-wide",
                   failed, total, words(settings_.fleet_window), rate * 100,
                   settings_.fleet_failure_rate * 100),
       now);
}

bool CircuitBreakers::reset(const std::string& kind, const std::string& key, const std::string& by,
                            const std::string& why, WallTime now) {
  auto it = breakers_.find({kind, kind == kFleetBreaker ? std::string(kFleetKey) : key});
  // The fleet's counts can always be forgotten; a rate's when it has some.
  const bool counted = kind == kFleetBreaker || (kind == kRateBreaker && dispatches_.contains(key));
  if (it == breakers_.end() && !counted) return false;
  Breaker& b = it != breakers_.end() ? it->second : breaker(kind, key);
  b.reset_at = now;
  if (kind == kRateBreaker) dispatches_.erase(key);
  if (kind == kFleetBreaker) outcomes_.clear();
  close(b, now, by, why);
  return true;
}

void CircuitBreakers::restore(Breaker b) {
  auto key = std::make_pair(b.kind, b.key);
  breakers_.insert_or_assign(std::move(key), std::move(b));
}

void CircuitBreakers::restore_dispatch(const std::string& service, const std::string& host,
                                       WallTime at) {
  const std::string key = rate_key(service, host);
  if (auto it = breakers_.find({kRateBreaker, key});
      it != breakers_.end() && at < it->second.reset_at) {
    return;
  }
  auto& times = dispatches_[key];
  times.insert(std::upper_bound(times.begin(), times.end(), at), at);
}

void CircuitBreakers::restore_outcome(bool verified, WallTime at) {
  if (auto it = breakers_.find({kFleetBreaker, kFleetKey});
      it != breakers_.end() && at < it->second.reset_at) {
    return;
  }
  auto pos = std::upper_bound(outcomes_.begin(), outcomes_.end(), at,
                              [](WallTime t, const auto& o) { return t < o.first; });
  outcomes_.insert(pos, {at, verified});
}

std::vector<BreakerView> CircuitBreakers::view(WallTime now) {
  prune(now);
  std::vector<BreakerView> out;
  const size_t total = outcomes_.size();
  const auto failed =
      std::count_if(outcomes_.begin(), outcomes_.end(), [](const auto& o) { return !o.second; });
  Breaker fleet = breakers_.contains({kFleetBreaker, kFleetKey})
                      ? breakers_.at({kFleetBreaker, kFleetKey})
                      : Breaker{kFleetBreaker, kFleetKey};
  out.push_back({fleet, fmt::format("{} of {} automatic fixes failed within {}", failed, total,
                                    words(settings_.fleet_window))});
  for (const auto& [key, b] : breakers_) {
    if (b.kind == kPatternBreaker && b.state != BreakerState::kClosed) out.push_back({b, b.reason});
  }
  for (const auto& [key, times] : dispatches_) {
    Breaker b = breakers_.contains({kRateBreaker, key}) ? breakers_.at({kRateBreaker, key})
                                                        : Breaker{kRateBreaker, key};
    out.push_back({b, fmt::format("{} of {} automatic fixes within the last hour", times.size(),
                                  settings_.max_fixes_per_hour)});
  }
  return out;
}

std::vector<BreakerChange> CircuitBreakers::take_changes() { return std::exchange(changes_, {}); }

}  // namespace tend::decisions
