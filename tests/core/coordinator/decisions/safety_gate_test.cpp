// The safety gate against a real PostgreSQL: what it says before a fix runs
// (breakers, the emergency stop, the blast radius), what it keeps across a
// restart, and how tendctl sees and resets the breakers.
#include "core/coordinator/decisions/safety_gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "tests/core/store/store_test_database.h"

namespace tend::decisions {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

tend::Control control(const std::string& action, const std::string& by, const std::string& reason) {
  tend::Control c;
  c.set_action(action);
  c.set_by(by);
  c.set_reason(reason);
  return c;
}

tend::BreakerReset reset_of(const std::string& kind, const std::string& key,
                            const std::string& reason, const std::string& by = "alice") {
  tend::BreakerReset r;
  r.set_kind(kind);
  r.set_key(key);
  r.set_by(by);
  r.set_reason(reason);
  return r;
}

class SafetyGateTest : public store::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    restart();
  }

  // A new gate over the same database, as after a coordinator restart.
  void restart() {
    gate_.reset();
    database_ = std::make_unique<store::Database>(db_->url(), "safety gate test", stopping_);
    gate_ = std::make_unique<SafetyGate>(BreakerSettings{}, BlastRadiusSettings{}, *database_);
    auto loaded = gate_->load(t_);
    ASSERT_TRUE(loaded) << loaded.error().message;
  }

  // An automatic fix of `pattern` for nginx on a host of its own, dispatched
  // and ended; its breaker changes are taken (and so saved).
  void fix(const std::string& pattern, bool verified) {
    const std::string id = "t-" + std::to_string(++tasks_);
    gate_->dispatched(pattern, "nginx", "host-" + std::to_string(tasks_), id, true, t_);
    consecutive_ = verified ? 0 : consecutive_ + 1;
    gate_->finished(pattern, id, true, verified, consecutive_, t_);
    gate_->take_changes();
  }

  CircuitBreakers::Verdict verdict(const std::string& pattern = "disk-full") {
    return gate_->verdict(pattern, "nginx", "web-01", t_);
  }

  std::atomic<bool> stopping_{false};
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<SafetyGate> gate_;
  WallTime t_ = std::chrono::system_clock::now();
  int tasks_ = 0;
  uint64_t consecutive_ = 0;
};

TEST_F(SafetyGateTest, AFixMayRunWhenNoBreakerIsOpenAndNothingIsStopped) {
  auto v = verdict();
  EXPECT_FALSE(v.pattern);
  EXPECT_FALSE(v.automatic);
  EXPECT_FALSE(gate_->emergency_stop().active);
}

TEST_F(SafetyGateTest, TheEmergencyStopHoldsEveryFixBackUntilResumed) {
  EXPECT_TRUE(gate_->stop(control("pause", "alice", "db migration"), t_));
  EXPECT_FALSE(gate_->stop(control("pause", "bob", "again"), t_)) << "stopped already";
  EXPECT_EQ(gate_->emergency_stop().by, "alice");
  auto v = verdict();
  ASSERT_TRUE(v.pattern) << "held back like an open pattern breaker: no approval lets it run";
  EXPECT_EQ(*v.pattern, gate_->emergency_stop().why());
  EXPECT_THAT(*v.pattern, HasSubstr("emergency stop by alice: db migration"));

  EXPECT_TRUE(gate_->resume(control("resume", "bob", "done"), t_));
  EXPECT_FALSE(gate_->resume(control("resume", "bob", "done"), t_)) << "running already";
  EXPECT_FALSE(verdict().pattern);
}

TEST_F(SafetyGateTest, TheEmergencyStopOutlivesARestart) {
  ASSERT_TRUE(gate_->stop(control("pause", "alice", "db migration"), t_));
  restart();
  EXPECT_TRUE(gate_->emergency_stop().active);
  EXPECT_EQ(gate_->emergency_stop().reason, "db migration");
  ASSERT_TRUE(gate_->resume(control("resume", "bob", "done"), t_));
  restart();
  EXPECT_FALSE(gate_->emergency_stop().active);
}

TEST_F(SafetyGateTest, DecideHearsOfTheBreakersAndTheStopEachInItsOwnWords) {
  fix("disk-full", false);
  fix("disk-full", false);
  ASSERT_TRUE(gate_->stop(control("pause", "alice", "db migration"), t_));
  DecisionFacts facts;
  gate_->judge("disk-full", "nginx", "web-01", t_, facts);
  ASSERT_TRUE(facts.pattern_breaker);
  EXPECT_THAT(*facts.pattern_breaker, HasSubstr("the last 2 fixes of disk-full failed"));
  EXPECT_FALSE(facts.automatic_breaker);
  ASSERT_TRUE(facts.stopped);
  EXPECT_EQ(*facts.stopped, gate_->emergency_stop().why());
}

TEST_F(SafetyGateTest, ATargetTooWideNeedsAHuman) {
  // Defaults: at most 10 nodes, and at most 25% of the fleet (2 nodes or more).
  EXPECT_FALSE(gate_->blast_radius("hosts=web-01", {1, 2})) << "one node is never a blast";
  EXPECT_FALSE(gate_->blast_radius("role=web", {2, 8})) << "25% is not more than 25%";
  EXPECT_FALSE(gate_->blast_radius("role=web", {3, 0})) << "no fleet known: no share to judge";
  auto share = gate_->blast_radius("role=web", {3, 8});
  ASSERT_TRUE(share);
  EXPECT_EQ(*share,
            "the target role=web means 3 of 8 nodes (38%), more than [blast_radius] "
            "max_share 25%");
  auto nodes = gate_->blast_radius("all", {11, 40});
  ASSERT_TRUE(nodes);
  EXPECT_EQ(*nodes, "the target all means 11 nodes, more than [blast_radius] max_nodes 10");
}

TEST_F(SafetyGateTest, BreakerChangesAreSavedAsTheyAreTakenAndOutliveARestart) {
  gate_->dispatched("disk-full", "nginx", "web-01", "t-1", true, t_);
  gate_->finished("disk-full", "t-1", true, false, 1, t_);
  gate_->dispatched("disk-full", "nginx", "web-02", "t-2", true, t_);
  gate_->finished("disk-full", "t-2", true, false, 2, t_);
  EXPECT_EQ(count("SELECT count(*) FROM breakers"), 0) << "nothing saved before it is taken";
  auto changes = gate_->take_changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].breaker.kind, kPatternBreaker);
  EXPECT_EQ(changes[0].breaker.state, BreakerState::kOpen);
  EXPECT_EQ(changes[0].from, BreakerState::kClosed);
  EXPECT_EQ(count("SELECT count(*) FROM breakers WHERE kind = 'pattern' AND key = 'disk-full' "
                  "AND state = 'open'"),
            1);
  EXPECT_TRUE(gate_->take_changes().empty()) << "each change is taken once";

  restart();
  EXPECT_TRUE(verdict().pattern) << "still open after a restart";
}

TEST_F(SafetyGateTest, TendctlSeesEveryBreakerAndTheStop) {
  fix("disk-full", false);
  fix("disk-full", false);
  ASSERT_TRUE(gate_->stop(control("pause", "alice", "db migration"), t_));
  auto list = gate_->breakers(t_);
  std::vector<std::string> seen;
  for (const auto& b : list.breakers()) seen.push_back(b.kind() + " " + b.key() + " " + b.state());
  EXPECT_THAT(seen, ::testing::ElementsAre("fleet fleet closed", "pattern disk-full open",
                                           "rate nginx@host-1 closed", "rate nginx@host-2 closed"));
  EXPECT_THAT(list.breakers(1).detail(), HasSubstr("the last 2 fixes of disk-full failed"));
  EXPECT_TRUE(list.breakers(1).has_since()) << "since it opened";
  EXPECT_FALSE(list.breakers(0).has_since()) << "a closed one has no since";
  EXPECT_TRUE(list.emergency_stop().active());
  EXPECT_EQ(list.emergency_stop().by(), "alice");
  EXPECT_EQ(list.emergency_stop().reason(), "db migration");
  EXPECT_TRUE(list.emergency_stop().has_since());
}

TEST_F(SafetyGateTest, AResetSaysWhyItIsRefused) {
  auto refused = [&](const tend::BreakerReset& r) {
    auto reset = gate_->reset(r, t_);
    return reset ? std::string("(not refused)") : reset.error().message;
  };
  EXPECT_EQ(refused(reset_of("pattern", "disk-full", "")),
            "say why (--reason): it goes to the audit trail");
  EXPECT_EQ(refused(reset_of("speed", "disk-full", "x")),
            "kind 'speed' is not rate, pattern or fleet");
  EXPECT_EQ(refused(reset_of("rate", "", "x")), "which rate breaker? tendctl breakers lists them");
  EXPECT_EQ(refused(reset_of("pattern", "disk-full", "x")),
            "there is no pattern breaker disk-full: tendctl breakers lists them");
}

TEST_F(SafetyGateTest, AResetClosesTheBreakerAndSaysWhoDidIt) {
  fix("disk-full", false);
  fix("disk-full", false);
  ASSERT_TRUE(verdict().pattern);
  auto reset = gate_->reset(reset_of("pattern", "disk-full", "fixed by hand"), t_);
  ASSERT_TRUE(reset) << reset.error().message;
  EXPECT_EQ(reset->state(), "closed");
  EXPECT_EQ(reset->detail(), "reset by alice: fixed by hand");
  EXPECT_FALSE(verdict().pattern);
  auto changes = gate_->take_changes();
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().by, "alice");
  EXPECT_EQ(changes.back().why, "fixed by hand");
  EXPECT_EQ(count("SELECT count(*) FROM breakers WHERE state = 'closed'"), 1);
}

TEST_F(SafetyGateTest, TheFleetBreakerNeedsNoKeyAndAResetByNobodyIsByUnknown) {
  auto reset = gate_->reset(reset_of("fleet", "", "flaky disks replaced", ""), t_);
  ASSERT_TRUE(reset) << reset.error().message;
  EXPECT_EQ(reset->key(), "fleet");
  EXPECT_EQ(reset->detail(), "reset by unknown: flaky disks replaced");
}

}  // namespace
}  // namespace tend::decisions
