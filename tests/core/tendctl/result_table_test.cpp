#include "core/tendctl/result_table.h"

#include <gtest/gtest.h>

namespace tend::tendctl {
namespace {

using std::chrono::milliseconds;

tend::Result result(std::string host, tend::Status status, uint64_t duration_ms,
                    std::string summary, std::string error = "") {
  tend::Result r;
  r.set_host(std::move(host));
  r.set_status(status);
  r.set_duration_ms(duration_ms);
  r.set_summary(std::move(summary));
  r.set_error(std::move(error));
  return r;
}

tend::Summary one_failed() {
  tend::Summary s;
  s.set_task_id("t-1");
  s.set_expected(3);
  s.set_responded(3);
  s.set_succeeded(2);
  s.set_failed(1);
  *s.add_results() = result("web-10", tend::FAILED, 3, "", "repo error");
  *s.add_results() = result("web-01", tend::SUCCEEDED, 202, "noop slept 200 ms");
  *s.add_results() = result("web-02", tend::SUCCEEDED, 4500, "noop slept 4500 ms");
  s.set_text("2/3 succeeded; web-10 FAILED: repo error");
  return s;
}

TEST(ResultTable, ShowsEveryHostSortedThenTheSummaryLineTheTotalsAndTheFailures) {
  EXPECT_EQ(render_summary(one_failed(), milliseconds(123), false),
            "HOST    STATUS     DURATION  SUMMARY/ERROR\n"
            "web-01  SUCCEEDED     202ms  noop slept 200 ms\n"
            "web-02  SUCCEEDED      4.5s  noop slept 4500 ms\n"
            "web-10  FAILED          3ms  repo error\n"
            "\n"
            "2/3 succeeded; web-10 FAILED: repo error\n"
            "Finished processing 3 / 3 hosts in 123 ms\n"
            "Failed: web-10 (FAILED: repo error)\n");
}

TEST(ResultTable, ColoursStatusesWithoutBreakingTheColumns) {
  std::string out = render_summary(one_failed(), milliseconds(123), true);
  EXPECT_NE(out.find("web-01  \x1b[32mSUCCEEDED\x1b[0m     202ms"), std::string::npos) << out;
  EXPECT_NE(out.find("web-10  \x1b[31mFAILED\x1b[0m          3ms"), std::string::npos) << out;
}

TEST(ResultTable, NamesHostsThatNeverAnsweredByCause) {
  tend::Summary s;
  s.set_task_id("t-1");
  s.set_expected(4);
  s.set_responded(1);
  s.set_succeeded(1);
  *s.add_results() = result("web-10", tend::SUCCEEDED, 12, "ok");
  for (const char* host : {"web-11", "web-12", "web-13"}) s.add_missing(host);
  s.add_unreachable("web-11");
  s.add_no_result("web-12");  // web-13: missing with no cause given
  s.set_text("1/4 succeeded; web-11 unreachable; web-12 no result; web-13 no result");
  EXPECT_EQ(render_summary(s, milliseconds(3000), false),
            "HOST    STATUS     DURATION  SUMMARY/ERROR\n"
            "web-10  SUCCEEDED      12ms  ok\n"
            "\n"
            "1/4 succeeded; web-11 unreachable; web-12 no result; web-13 no result\n"
            "Finished processing 1 / 4 hosts in 3000 ms\n"
            "Unreachable: web-11\n"
            "No result: web-12\n"
            "Missing: web-13\n");
}

TEST(ResultTable, ALongOrMultiLineErrorIsCutToItsFirstLine) {
  tend::Summary s;
  s.set_task_id("t-1");
  s.set_expected(3);
  s.set_responded(3);
  s.set_failed(3);
  *s.add_results() = result("db-01", tend::CRASHED, 70, "", "signal 11\nstack: ...");
  *s.add_results() = result("db-02", tend::REJECTED, 0, "");
  *s.add_results() = result("db-03", tend::TIMED_OUT, 1000, "", std::string(100, 'x'));
  std::string out = render_summary(s, milliseconds(80), false);
  EXPECT_NE(out.find("db-01  CRASHED        70ms  signal 11\n"
                     "db-02  REJECTED        0ms\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("db-03  TIMED_OUT      1.0s  " + std::string(77, 'x') + "...\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("Failed: db-01 (CRASHED: signal 11), db-02 (REJECTED), db-03 (TIMED_OUT: "),
            std::string::npos)
      << out;
}

TEST(ResultTable, NoHostMatchedShowsNoTable) {
  tend::Summary s;
  s.set_task_id("t-1");
  s.set_text("0/0: no online node matches target roles=cache");
  EXPECT_EQ(render_summary(s, milliseconds(2), false),
            "0/0: no online node matches target roles=cache\n"
            "Finished processing 0 / 0 hosts in 2 ms\n");
}

TEST(ResultTable, ADryRunSaysSoFirst) {
  tend::Summary s = one_failed();
  s.set_dry_run(true);
  std::string out = render_summary(s, milliseconds(1), false);
  EXPECT_NE(out.find("\n\nDry run: the plugins only said what they would change\n2/3 succeeded"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace tend::tendctl
