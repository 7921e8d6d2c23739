#include "core/coordinator/decisions/safety_gate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tend::decisions {
namespace {

tend::Breaker to_message(const BreakerView& v) {
  tend::Breaker m;
  m.set_kind(v.breaker.kind);
  m.set_key(v.breaker.key);
  m.set_state(std::string(breaker_state_name(v.breaker.state)));
  m.set_detail(v.detail);
  if (v.breaker.state != BreakerState::kClosed) {
    *m.mutable_since() = to_timestamp(v.breaker.opened_at);
  }
  m.set_probe_task_id(v.breaker.probe_task);
  return m;
}

}  // namespace

SafetyGate::SafetyGate(BreakerSettings breakers, BlastRadiusSettings blast_radius,
                       store::Database& db)
    : blast_radius_(blast_radius),
      fleet_window_(breakers.fleet_window),
      breakers_(breakers),
      safety_store_(db) {}

Expected<void> SafetyGate::load(WallTime now) {
  if (auto ok = safety_store_.load(breakers_, fleet_window_, now); !ok) return ok;
  auto stop = safety_store_.load_stop();
  if (!stop) return stop.error();
  stop_ = *stop;
  if (stop_.active) spdlog::warn("alerts: {}", stop_.why());
  return {};
}

CircuitBreakers::Verdict SafetyGate::verdict(const std::string& pattern, const std::string& service,
                                             const std::string& host, WallTime now) {
  auto verdict = breakers_.check(pattern, service, host, now);
  if (stop_.active) verdict.pattern = stop_.why();
  return verdict;
}

void SafetyGate::judge(const std::string& pattern, const std::string& service,
                       const std::string& host, WallTime now, DecisionFacts& facts) {
  auto verdict = breakers_.check(pattern, service, host, now);
  facts.pattern_breaker = verdict.pattern;
  facts.automatic_breaker = verdict.automatic;
  if (stop_.active) facts.stopped = stop_.why();
}

std::optional<std::string> SafetyGate::blast_radius(const std::string& target, Reach reach) const {
  if (reach.hosts > blast_radius_.max_nodes) {
    return fmt::format("the target {} means {} nodes, more than [blast_radius] max_nodes {}",
                       target, reach.hosts, blast_radius_.max_nodes);
  }
  // A single node is never a blast, however small the fleet.
  if (reach.hosts < 2 || reach.fleet == 0) return std::nullopt;
  const double share = static_cast<double>(reach.hosts) / static_cast<double>(reach.fleet);
  if (share <= blast_radius_.max_share) return std::nullopt;
  return fmt::format(
      "the target {} means {} of {} nodes ({:.0f}%), more than [blast_radius] "
      "max_share {:.0f}%",
      target, reach.hosts, reach.fleet, share * 100, blast_radius_.max_share * 100);
}

void SafetyGate::dispatched(const std::string& pattern, const std::string& service,
                            const std::string& host, const std::string& task_id, bool automatic,
                            WallTime now) {
  breakers_.dispatched(pattern, service, host, task_id, automatic, now);
}

void SafetyGate::finished(const std::string& pattern, const std::string& task_id, bool automatic,
                          bool verified, uint64_t consecutive_failures, WallTime now) {
  breakers_.finished(pattern, task_id, automatic, verified, consecutive_failures, now);
}

std::vector<BreakerChange> SafetyGate::take_changes() {
  auto changes = breakers_.take_changes();
  for (const auto& change : changes) {
    const auto& b = change.breaker;
    if (auto ok = safety_store_.save(b); !ok) {
      spdlog::error("alerts: breaker {} {} not saved: {}", b.kind, b.key, ok.error().message);
    }
  }
  return changes;
}

bool SafetyGate::stop(const tend::Control& control, WallTime now) {
  if (stop_.active) return false;
  stop_ = {true, control.by(), control.reason(), now};
  if (auto ok = safety_store_.save(stop_); !ok) {
    spdlog::error("alerts: the emergency stop is not kept (a restart forgets it): {}",
                  ok.error().message);
  }
  return true;
}

bool SafetyGate::resume(const tend::Control& control, WallTime now) {
  if (!stop_.active) return false;
  stop_ = {false, control.by(), control.reason(), now};
  if (auto ok = safety_store_.save(stop_); !ok) {
    spdlog::error("alerts: the end of the emergency stop is not kept: {}", ok.error().message);
  }
  return true;
}

tend::BreakerList SafetyGate::breakers(WallTime now) {
  tend::BreakerList list;
  for (const auto& v : breakers_.view(now)) *list.add_breakers() = to_message(v);
  auto* stop = list.mutable_emergency_stop();
  stop->set_active(stop_.active);
  stop->set_by(stop_.by);
  stop->set_reason(stop_.reason);
  if (stop_.since != WallTime{}) *stop->mutable_since() = to_timestamp(stop_.since);
  return list;
}

Expected<tend::Breaker> SafetyGate::reset(const tend::BreakerReset& r, WallTime now) {
  if (r.reason().empty()) return make_error("say why (--reason): it goes to the audit trail");
  if (r.kind() != kRateBreaker && r.kind() != kPatternBreaker && r.kind() != kFleetBreaker) {
    return make_error(fmt::format("kind '{}' is not rate, pattern or fleet", r.kind()));
  }
  const std::string key = r.kind() == kFleetBreaker ? kFleetKey : r.key();
  if (key.empty()) {
    return make_error(fmt::format("which {} breaker? tendctl breakers lists them", r.kind()));
  }
  const std::string by = r.by().empty() ? "unknown" : r.by();
  if (!breakers_.reset(r.kind(), key, by, r.reason(), now)) {
    return make_error(
        fmt::format("there is no {} breaker {}: tendctl breakers lists them", r.kind(), key));
  }
  tend::Breaker reply;
  reply.set_kind(r.kind());
  reply.set_key(key);
  reply.set_state("closed");
  reply.set_detail("reset by " + by + ": " + r.reason());
  return reply;
}

}  // namespace tend::decisions
