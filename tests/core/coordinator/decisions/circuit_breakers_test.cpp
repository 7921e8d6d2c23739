// The circuit breakers, with time passed in: what trips each, what a probe
// does after the cool-down, and what a reset forgets.
#include "core/coordinator/decisions/circuit_breakers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tend::decisions {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class Breakers : public ::testing::Test {
 protected:
  // A fix of `pattern` for nginx on `host` (a host of its own unless given:
  // the rate limit stays out of tests about other breakers), dispatched and ended.
  void fix(const std::string& pattern, bool verified, bool automatic = true,
           std::string host = "") {
    const std::string id = "t-" + std::to_string(++tasks_);
    if (host.empty()) host = "host-" + std::to_string(tasks_);
    breakers_.dispatched(pattern, "nginx", host, id, automatic, t_);
    consecutive_[pattern] = verified ? 0 : consecutive_[pattern] + 1;
    breakers_.finished(pattern, id, automatic, verified, consecutive_[pattern], t_);
  }
  CircuitBreakers::Verdict check(const std::string& pattern = "disk-full") {
    return breakers_.check(pattern, "nginx", "web-01", t_);
  }
  std::vector<std::string> changes() {
    std::vector<std::string> out;
    for (const auto& c : breakers_.take_changes()) {
      out.push_back(c.breaker.kind + " " + std::string(breaker_state_name(c.breaker.state)));
    }
    return out;
  }

  BreakerSettings settings_{};  // 3 an hour, 2 in a row, 10% over 1h from 10 fixes, 30m cool-down
  CircuitBreakers breakers_{settings_};
  WallTime t_ = std::chrono::system_clock::now();
  int tasks_ = 0;
  std::map<std::string, uint64_t> consecutive_;
};

TEST_F(Breakers, AtMostThreeAutomaticFixesAnHourPerServiceAndHost) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(check().automatic);
    fix("disk-full", true, true, "web-01");
    t_ += 5min;
  }
  auto verdict = check();
  ASSERT_TRUE(verdict.automatic);
  EXPECT_THAT(*verdict.automatic, HasSubstr("3 automatic fixes for nginx on web-01 within the "
                                            "last hour"));
  EXPECT_FALSE(verdict.pattern) << "a human may still approve one";
  EXPECT_FALSE(breakers_.check("disk-full", "nginx", "web-02", t_).automatic)
      << "another host has its own count";
  EXPECT_THAT(changes(), ::testing::Contains("rate open"));
  t_ += 50min;  // the first fix is an hour old
  EXPECT_FALSE(check().automatic);
  EXPECT_THAT(changes(), ::testing::Contains("rate closed"));
}

TEST_F(Breakers, ApprovedFixesDoNotCountTowardTheRate) {
  for (int i = 0; i < 5; ++i) fix("disk-full", true, /*automatic=*/false, "web-01");
  EXPECT_FALSE(check().automatic);
}

TEST_F(Breakers, TwoFailedFixesInARowEscalateThePatternUntilAProbeVerifies) {
  fix("disk-full", false);
  EXPECT_FALSE(check().pattern);
  fix("disk-full", false);
  auto verdict = check();
  ASSERT_TRUE(verdict.pattern);
  EXPECT_THAT(*verdict.pattern, HasSubstr("the last 2 fixes of disk-full failed"));
  EXPECT_FALSE(check("service-down").pattern) << "other patterns go on";

  t_ += 29min;
  EXPECT_TRUE(check().pattern) << "still cooling down";
  t_ += 1min;
  EXPECT_FALSE(check().pattern) << "half-open: one probe may go";
  breakers_.dispatched("disk-full", "nginx", "web-01", "t-probe", true, t_);
  EXPECT_THAT(*check().pattern, HasSubstr("probe fix t-probe has not ended"));
  breakers_.finished("disk-full", "t-probe", true, false, 3, t_);
  EXPECT_THAT(*check().pattern, HasSubstr("its probe fix t-probe failed too")) << "open again";

  t_ += 30min;
  EXPECT_FALSE(check().pattern);
  breakers_.dispatched("disk-full", "nginx", "web-01", "t-probe2", false, t_);
  breakers_.finished("disk-full", "t-probe2", false, true, 0, t_);
  EXPECT_FALSE(check().pattern) << "the probe verified: closed";
  EXPECT_THAT(changes(),
              ::testing::ElementsAre("pattern open", "pattern half_open", "pattern half_open",
                                     "pattern open", "pattern half_open", "pattern half_open",
                                     "pattern closed"));
}

TEST_F(Breakers, MoreThanTenPercentOfAutomaticFixesFailingPausesThemFleetWide) {
  for (int i = 0; i < 9; ++i) fix("p" + std::to_string(i), true);
  fix("x", false);
  EXPECT_FALSE(check().automatic) << "1 of 10 is not more than 10%";
  fix("y", false);
  auto verdict = check();
  ASSERT_TRUE(verdict.automatic);
  EXPECT_THAT(*verdict.automatic, HasSubstr("2 of 11 automatic fixes failed within 1h (18%"));
  EXPECT_FALSE(verdict.pattern);

  t_ += 30min;
  EXPECT_FALSE(check().automatic) << "half-open";
  breakers_.dispatched("z", "nginx", "web-01", "t-fleet-probe", true, t_);
  EXPECT_THAT(*check().automatic, HasSubstr("until the probe fix t-fleet-probe verifies"));
  breakers_.finished("z", "t-fleet-probe", true, true, 0, t_);
  EXPECT_FALSE(check().automatic);
  fix("w", false);
  EXPECT_FALSE(check().automatic) << "the failures before the probe are forgotten";
}

TEST_F(Breakers, FewFixesNeverTripTheFleetBreaker) {
  fix("a", false);
  fix("b", false);
  EXPECT_FALSE(check().automatic) << "fewer than fleet_min_fixes";
}

TEST_F(Breakers, AResetClosesABreakerAndForgetsItsCounts) {
  for (int i = 0; i < 3; ++i) fix("disk-full", true, true, "web-01");
  ASSERT_TRUE(check().automatic);
  EXPECT_FALSE(breakers_.reset(kRateBreaker, "mysql@db-01", "alice", "x", t_));
  EXPECT_TRUE(breakers_.reset(kRateBreaker, "nginx@web-01", "alice", "disk replaced", t_));
  EXPECT_FALSE(check().automatic);
  auto all = breakers_.take_changes();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back().by, "alice");
  EXPECT_EQ(all.back().why, "disk replaced");

  fix("service-down", false);
  fix("service-down", false);
  ASSERT_TRUE(check("service-down").pattern);
  EXPECT_TRUE(breakers_.reset(kPatternBreaker, "service-down", "bob", "fixed by hand", t_));
  EXPECT_FALSE(check("service-down").pattern);
}

TEST_F(Breakers, ARestartRebuildsTheWindowsButNotWhatAResetForgot) {
  CircuitBreakers restarted{settings_};
  Breaker reset{kRateBreaker, "nginx@web-01"};
  reset.reset_at = t_ - 10min;
  restarted.restore(reset);
  restarted.restore_dispatch("nginx", "web-01", t_ - 20min);  // before the reset
  restarted.restore_dispatch("nginx", "web-01", t_ - 5min);
  restarted.restore_dispatch("nginx", "web-01", t_ - 4min);
  EXPECT_FALSE(restarted.check("p", "nginx", "web-01", t_).automatic);
  restarted.restore_dispatch("nginx", "web-01", t_ - 3min);
  EXPECT_TRUE(restarted.check("p", "nginx", "web-01", t_).automatic);
}

}  // namespace
}  // namespace tend::decisions
