// The one line an operator reads first.
#include "core/coordinator/summary_text.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace tend {
namespace {

struct Outcome {
  std::string host;
  tend::Status status;
  std::string error = "";
  std::string summary = "";
};

// A summary of `expected` hosts where `outcomes` answered and the rest did not.
tend::Summary summary_of(int expected, std::vector<Outcome> outcomes,
                         std::vector<std::string> unreachable = {},
                         std::vector<std::string> no_result = {}) {
  tend::Summary s;
  s.set_expected(expected);
  for (const auto& o : outcomes) {
    auto* r = s.add_results();
    r->set_host(o.host);
    r->set_status(o.status);
    r->set_error(o.error);
    r->set_summary(o.summary);
    s.set_responded(s.responded() + 1);
    if (o.status == tend::SUCCEEDED) {
      s.set_succeeded(s.succeeded() + 1);
    } else {
      s.set_failed(s.failed() + 1);
    }
  }
  for (const auto& h : unreachable) {
    s.add_unreachable(h);
    s.add_missing(h);
  }
  for (const auto& h : no_result) {
    s.add_no_result(h);
    s.add_missing(h);
  }
  return s;
}

std::vector<Outcome> succeeded(int from, int to) {
  std::vector<Outcome> out;
  for (int i = from; i <= to; ++i) out.push_back({fmt::format("web-{:02}", i), tend::SUCCEEDED});
  return out;
}

std::string text(const tend::Summary& s) {
  return summary_text(s, "target roles=web", TaskEnding::kFinished);
}

TEST(SummaryText, AllSucceeded) {
  EXPECT_EQ(text(summary_of(10, succeeded(1, 10))), "10/10 succeeded");
}

TEST(SummaryText, OneFailureShowsItsStatusAndError) {
  auto outcomes = succeeded(1, 9);
  outcomes.push_back({"web-10", tend::FAILED, "repo error"});
  EXPECT_EQ(text(summary_of(10, outcomes)), "9/10 succeeded; web-10 FAILED: repo error");
}

TEST(SummaryText, FailuresComeBeforeUnreachableHosts) {
  auto outcomes = succeeded(1, 8);
  outcomes.push_back({"web-09", tend::FAILED, "disk busy"});
  EXPECT_EQ(text(summary_of(10, outcomes, {"web-10"})),
            "8/10 succeeded; web-09 FAILED: disk busy; web-10 unreachable");
}

TEST(SummaryText, AnAcknowledgedHostWithoutResultTimedOutWaiting) {
  auto s = summary_of(3, {{"db-02", tend::SUCCEEDED}, {"db-03", tend::SUCCEEDED}}, {}, {"db-01"});
  EXPECT_EQ(text(s), "2/3 succeeded; db-01 no result (acknowledged, timed out waiting)");
}

TEST(SummaryText, NobodyToAskSaysWhichTargetMatchedNoOne) {
  EXPECT_EQ(summary_text(summary_of(0, {}), "target roles=cache", TaskEnding::kFinished),
            "0/0: no online node matches target roles=cache");
}

TEST(SummaryText, WithoutAnErrorTheResultSummaryIsTheReason) {
  auto s = summary_of(1, {{"web-01", tend::TIMED_OUT, "", "gave up after 30 s"}});
  EXPECT_EQ(text(s), "0/1 succeeded; web-01 TIMED_OUT: gave up after 30 s");
}

TEST(SummaryText, WithNoReasonAtAllOnlyTheStatusIsShown) {
  EXPECT_EQ(text(summary_of(1, {{"web-01", tend::CRASHED}})), "0/1 succeeded; web-01 CRASHED");
}

TEST(SummaryText, HostsThatFailedAlikeShareOneClauseNamingAtMostThree) {
  std::vector<Outcome> outcomes;
  for (int i = 1; i <= 4; ++i) outcomes.push_back({fmt::format("web-{:02}", i), tend::FAILED, "x"});
  EXPECT_EQ(
      text(summary_of(6, outcomes, {"web-05", "web-06"})),
      "0/6 succeeded; web-01, web-02, web-03 and 1 more FAILED: x; web-05, web-06 unreachable");
}

TEST(SummaryText, AtMostThreeDifferentCausesAreNamed) {
  std::vector<Outcome> outcomes;
  for (int i = 1; i <= 5; ++i) {
    outcomes.push_back({fmt::format("web-{:02}", i), tend::FAILED, fmt::format("cause {}", i)});
  }
  EXPECT_EQ(
      text(summary_of(5, outcomes)),
      "0/5 succeeded; web-01 FAILED: cause 1; web-02 FAILED: cause 2; web-03 FAILED: cause 3; "
      "and 2 more");
}

TEST(SummaryText, ALongErrorIsCutToItsFirstLineAndEightyCharacters) {
  std::string long_error(200, 'e');
  auto s = summary_of(1, {{"web-01", tend::FAILED, long_error}});
  EXPECT_EQ(text(s), "0/1 succeeded; web-01 FAILED: " + std::string(77, 'e') + "...");
  EXPECT_EQ(short_reason("apt failed\nE: could not get lock"), "apt failed");
}

TEST(SummaryText, CuttingNeverSplitsAUtf8Character) {
  std::string reason = std::string(76, 'a') + "\xc3\xa9" + std::string(20, 'b');  // é at 76-77
  EXPECT_EQ(short_reason(reason), std::string(76, 'a') + "...");
}

TEST(SummaryText, AShutdownSaysSo) {
  auto s = summary_of(2, {{"web-01", tend::SUCCEEDED}}, {}, {"web-02"});
  EXPECT_EQ(summary_text(s, "target roles=web", TaskEnding::kCoordinatorShuttingDown),
            "1/2 succeeded; web-02 no result yet (acknowledged); coordinator shutting down");
}

}  // namespace
}  // namespace tend
