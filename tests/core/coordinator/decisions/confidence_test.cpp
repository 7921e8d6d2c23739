// Earned confidence: the formula, the tiers, what a failure does, and what a
// human's promotion or demotion does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coordinator/decisions/confidence_model.h"
#include "core/coordinator/decisions/decision_rules.h"
#include "core/coordinator/decisions/knowledge_base.h"

namespace tend::decisions {
namespace {

using ::testing::HasSubstr;

const WallTime kNow = std::chrono::system_clock::now();

TEST(ConfidenceModel, IsTheBetaPosteriorMeanOverThePrior) {
  ConfidenceModel model{ConfidenceSettings{}};  // prior weight 2
  EXPECT_DOUBLE_EQ(model.confidence(0.6, 0, 0), 0.6) << "a new fix starts at its prior";
  EXPECT_DOUBLE_EQ(model.confidence(0.6, 7, 0), (1.2 + 7) / 9.0);
  EXPECT_DOUBLE_EQ(model.confidence(0.6, 7, 1), (1.2 + 7) / 10.0);
  EXPECT_DOUBLE_EQ(model.confidence(0.0, 0, 3), 0.0);
}

TEST(ConfidenceModel, TiersAreAbove90RunAloneFrom50ApprovalBelowEscalate) {
  ConfidenceModel model{ConfidenceSettings{}};
  EXPECT_EQ(model.tier(0.91), Tier::kRunAlone);
  EXPECT_EQ(model.tier(0.90), Tier::kApproval) << "90% is not above 90%";
  EXPECT_EQ(model.tier(0.50), Tier::kApproval);
  EXPECT_EQ(model.tier(0.49), Tier::kEscalate);
  ConfidenceModel strict{ConfidenceSettings{.run_alone_above = 0.99, .approval_from = 0.8}};
  EXPECT_EQ(strict.tier(0.95), Tier::kApproval);
  EXPECT_EQ(strict.tier(0.79), Tier::kEscalate);
}

TEST(KnowledgeBase, SevenVerifiedFixesEarnAutonomyAndOneFailureTakesItAway) {
  KnowledgeBase kb{ConfidenceModel{ConfidenceSettings{}}};
  KbEntry& e = kb.entry("disk-full", "disk-cleanup", 0.6, kNow);
  EXPECT_EQ(kb.tier(e), Tier::kApproval);
  for (int i = 0; i < 6; ++i) kb.record("disk-full", "disk-cleanup", true, kNow);
  EXPECT_EQ(kb.tier(e), Tier::kApproval) << kb.confidence(e);
  kb.record("disk-full", "disk-cleanup", true, kNow);
  EXPECT_EQ(kb.tier(e), Tier::kRunAlone) << kb.confidence(e);
  EXPECT_EQ(e.successes, 7u);

  kb.record("disk-full", "disk-cleanup", false, kNow);
  EXPECT_EQ(kb.tier(e), Tier::kApproval) << "a failure demotes";
  EXPECT_EQ(e.consecutive_failures, 1u);
  EXPECT_EQ(e.last_outcome, "failed");
}

TEST(KnowledgeBase, AFailureDemotesEvenWhenTheNumbersStayHigh) {
  KnowledgeBase kb{ConfidenceModel{ConfidenceSettings{}}};
  KbEntry& e = kb.entry("p", "noop", 0.9, kNow);
  for (int i = 0; i < 100; ++i) kb.record("p", "noop", true, kNow);
  kb.record("p", "noop", false, kNow);
  EXPECT_GT(kb.confidence(e), 0.9);
  EXPECT_EQ(kb.tier(e), Tier::kApproval) << "until a fix verifies again";
  kb.record("p", "noop", true, kNow);
  EXPECT_EQ(kb.tier(e), Tier::kRunAlone);
  EXPECT_EQ(e.consecutive_failures, 0u);
}

TEST(KnowledgeBase, AHumanMovesAPatternOneTierAtATime) {
  KnowledgeBase kb{ConfidenceModel{ConfidenceSettings{}}};
  KbEntry& e = kb.entry("service-down", "service-restart", 0.3, kNow);
  EXPECT_EQ(kb.tier(e), Tier::kEscalate);
  EXPECT_FALSE(kb.adjust(e, +1, "alice", "restarts are safe here", kNow));
  EXPECT_EQ(kb.tier(e), Tier::kApproval);
  EXPECT_FALSE(kb.adjust(e, +1, "alice", "really", kNow));
  EXPECT_EQ(kb.tier(e), Tier::kRunAlone);
  EXPECT_EQ(e.override_by, "alice");
  auto again = kb.adjust(e, +1, "alice", "more", kNow);
  ASSERT_TRUE(again);
  EXPECT_THAT(*again, HasSubstr("already runs on its own"));

  kb.record("service-down", "service-restart", false, kNow);
  EXPECT_FALSE(e.override_tier) << "a failed fix undoes a promotion to run";
  EXPECT_EQ(kb.tier(e), Tier::kEscalate);

  EXPECT_FALSE(kb.adjust(e, +1, "bob", "x", kNow));
  EXPECT_FALSE(kb.adjust(e, -1, "bob", "too risky", kNow));
  EXPECT_EQ(kb.tier(e), Tier::kEscalate);
  EXPECT_TRUE(kb.adjust(e, -1, "bob", "lower", kNow));

  KbEntry& unknown = kb.entry("CpuOnFire", "", 0, kNow);
  auto no_fix = kb.adjust(unknown, +1, "bob", "x", kNow);
  ASSERT_TRUE(no_fix);
  EXPECT_THAT(*no_fix, HasSubstr("add a route"));
}

TEST(DecisionRules, RulesOnlyEverMakeADecisionMoreCautious) {
  DecisionFacts facts;
  facts.earned = Tier::kRunAlone;
  facts.confidence = 0.95;
  facts.prior = 0.95;
  EXPECT_EQ(decide(facts).tier, Tier::kRunAlone);
  EXPECT_EQ(decide(facts).why(),
            "confidence 95% (0 verified, 0 failed, prior 95%): runs on its own");

  DecisionFacts approval = facts;
  approval.requires_approval = true;
  EXPECT_EQ(decide(approval).tier, Tier::kApproval);
  EXPECT_THAT(decide(approval).why(), HasSubstr("the route requires approval: waits for approval"));

  DecisionFacts wide = facts;
  wide.blast_radius = "the target is 12 nodes, more than [blast_radius] max_nodes 10";
  EXPECT_EQ(decide(wide).tier, Tier::kApproval);
  DecisionFacts low = wide;
  low.earned = Tier::kEscalate;
  EXPECT_EQ(decide(low).tier, Tier::kEscalate) << "never less cautious than the confidence";

  DecisionFacts rate = facts;
  rate.automatic_breaker = "3 automatic fixes for nginx on web-01 in the last hour";
  EXPECT_EQ(decide(rate).tier, Tier::kEscalate);
  DecisionFacts rate_for_approval = rate;
  rate_for_approval.requires_approval = true;
  EXPECT_EQ(decide(rate_for_approval).tier, Tier::kApproval)
      << "a human may still approve what the automatic limit stopped";

  DecisionFacts pattern = approval;
  pattern.pattern_breaker = "the last 2 fixes of disk-full failed";
  EXPECT_EQ(decide(pattern).tier, Tier::kEscalate);
  DecisionFacts stopped = facts;
  stopped.stopped = "automatic fixes are stopped (emergency stop by alice: db migration)";
  EXPECT_EQ(decide(stopped).tier, Tier::kEscalate);
  EXPECT_THAT(decide(stopped).why(), HasSubstr("emergency stop by alice"));
}

TEST(DecisionRules, AHumansOverrideDecidesTheTierBeforeTheRules) {
  DecisionFacts facts;
  facts.earned = Tier::kEscalate;
  facts.override_tier = Tier::kRunAlone;
  facts.override_note = "set to run by alice: known safe";
  EXPECT_EQ(decide(facts).tier, Tier::kRunAlone);
  EXPECT_THAT(decide(facts).why(), HasSubstr("set to run by alice: known safe"));
  facts.high_risk = true;
  EXPECT_EQ(decide(facts).tier, Tier::kApproval);
}

}  // namespace
}  // namespace tend::decisions
