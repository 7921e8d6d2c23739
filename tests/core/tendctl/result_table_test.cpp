#include "core/tendctl/result_table.h"

#include <gtest/gtest.h>

#include "core/tendctl/exit_codes.h"
#include "core/tendctl/progress_bar.h"

namespace tend::tendctl {
namespace {

tend::Summary two_hosts(tend::Status second) {
  tend::Summary s;
  s.set_expected(2);
  s.set_responded(2);
  s.set_succeeded(second == tend::SUCCEEDED ? 2 : 1);
  s.set_failed(second == tend::SUCCEEDED ? 0 : 1);
  auto* a = s.add_results();
  a->set_host("web-01");
  a->set_status(tend::SUCCEEDED);
  a->set_summary("noop slept 200 ms");
  a->set_duration_ms(202);
  auto* b = s.add_results();
  b->set_host("web-02");
  b->set_status(second);
  b->set_summary(second == tend::SUCCEEDED ? "noop slept 200 ms" : "");
  b->set_error(second == tend::SUCCEEDED ? "" : "repo error");
  b->set_duration_ms(3);
  s.set_text(second == tend::SUCCEEDED ? "2/2 succeeded" : "1/2 succeeded; web-02 FAILED: repo error");
  return s;
}

TEST(ResultTable, ShowsEveryHostTheSummaryLineAndTheTotals) {
  EXPECT_EQ(render_summary(two_hosts(tend::FAILED), std::chrono::milliseconds(123), false),
            "HOST    STATUS      DURATION  SUMMARY\n"
            "web-01  SUCCEEDED      202ms  noop slept 200 ms\n"
            "web-02  FAILED           3ms  repo error\n"
            "\n"
            "1/2 succeeded; web-02 FAILED: repo error\n"
            "Finished processing 2 / 2 hosts in 123 ms\n"
            "Failed: web-02 (FAILED: repo error)\n");
}

TEST(ResultTable, ListsHostsThatNeverAnsweredByCause) {
  tend::Summary s;
  s.set_expected(2);
  s.set_text("0/2 succeeded; web-03 unreachable; web-04 no result");
  s.add_missing("web-03");
  s.add_missing("web-04");
  s.add_unreachable("web-03");
  s.add_no_result("web-04");
  std::string out = render_summary(s, std::chrono::milliseconds(3000), false);
  EXPECT_NE(out.find("Finished processing 0 / 2 hosts in 3000 ms\n"), std::string::npos);
  EXPECT_NE(out.find("Unreachable (never acknowledged): web-03\n"), std::string::npos);
  EXPECT_NE(out.find("No result (acknowledged, then silent): web-04\n"), std::string::npos);
}

TEST(ExitCode, ZeroOnlyWhenEveryHostSucceededAndMissingWinsOverFailed) {
  EXPECT_EQ(exit_code_for(two_hosts(tend::SUCCEEDED)), kAllSucceeded);
  EXPECT_EQ(exit_code_for(two_hosts(tend::FAILED)), kSomeFailed);
  EXPECT_EQ(exit_code_for(two_hosts(tend::REJECTED)), kSomeFailed);
  tend::Summary missing = two_hosts(tend::FAILED);
  missing.add_missing("web-03");
  EXPECT_EQ(exit_code_for(missing), kSomeMissing);
}

TEST(ProgressBar, FillsWithTheShareThatResponded) {
  tend::Progress tally;
  tally.set_expected(10);
  tally.set_responded(5);
  tally.set_succeeded(4);
  tally.set_failed(1);
  EXPECT_EQ(progress_line(tally, 10), "[#####-----] 5/10  ok 4  failed 1");
  tally.set_expected(0);
  EXPECT_EQ(progress_line(tally, 4), "[####] 5/0  ok 4  failed 1");
}

}  // namespace
}  // namespace tend::tendctl
