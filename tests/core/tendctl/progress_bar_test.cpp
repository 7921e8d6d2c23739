#include "core/tendctl/progress_bar.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/tendctl/progress_view.h"

namespace tend::tendctl {
namespace {

tend::Progress tally(uint32_t expected, uint32_t responded, uint32_t ok, uint32_t failed) {
  tend::Progress p;
  p.set_task_id("t-1");
  p.set_kind(tend::Progress::TALLY);
  p.set_expected(expected);
  p.set_responded(responded);
  p.set_succeeded(ok);
  p.set_failed(failed);
  return p;
}

TEST(ProgressBar, FillsWithTheShareThatResponded) {
  EXPECT_EQ(progress_bar_line(tally(10, 5, 5, 0), 10), "[#####-----] 5/10  ok 5  failed 0");
  EXPECT_EQ(progress_bar_line(tally(10, 0, 0, 0), 10), "[----------] 0/10  ok 0  failed 0");
  EXPECT_EQ(progress_bar_line(tally(3, 1, 0, 1)), "[######--------------] 1/3  ok 0  failed 1");
  EXPECT_EQ(progress_bar_line(tally(3, 3, 2, 1), 4), "[####] 3/3  ok 2  failed 1");
}

TEST(ProgressBar, NeverOverflowsWhenMoreAnswerThanWereExpected) {
  EXPECT_EQ(progress_bar_line(tally(2, 3, 3, 0), 4), "[####] 3/2  ok 3  failed 0");
  EXPECT_EQ(progress_bar_line(tally(0, 0, 0, 0), 4), "[####] 0/0  ok 0  failed 0");
}

TEST(ProgressBar, PlainLineForPipesAndLogs) {
  EXPECT_EQ(progress_plain_line(tally(10, 5, 4, 1)), "progress: 5/10 responded (4 ok, 1 failed)");
}

TEST(ProgressView, RedrawsOneLineOnATerminalAndWipesItAtTheEnd) {
  std::ostringstream out;
  ProgressView view(ProgressView::Mode::kBar, out);
  view.submitted("t-1");
  view.show(tally(2, 1, 1, 0));
  view.show(tally(2, 2, 2, 0));
  view.finish();
  view.show(tally(2, 2, 2, 0));  // too late: the summary is being printed
  EXPECT_EQ(out.str(),
            "\r\x1b[Ktask t-1 submitted, waiting for results"
            "\r\x1b[K[##########----------] 1/2  ok 1  failed 0"
            "\r\x1b[K[####################] 2/2  ok 2  failed 0"
            "\r\x1b[K");
}

TEST(ProgressView, PrintsOneLinePerTallyElsewhereAndIgnoresAcks) {
  std::ostringstream out;
  ProgressView view(ProgressView::Mode::kLines, out);
  tend::Progress ack;
  ack.set_kind(tend::Progress::ACK);
  ack.set_host("web-01");
  view.submitted("t-1");
  view.show(ack);
  view.show(tally(2, 1, 0, 1));
  view.finish();
  EXPECT_EQ(out.str(), "progress: 1/2 responded (0 ok, 1 failed)\n");
}

TEST(ProgressView, SaysNothingForJson) {
  std::ostringstream out;
  ProgressView view(ProgressView::Mode::kSilent, out);
  view.submitted("t-1");
  view.show(tally(2, 1, 1, 0));
  view.finish();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace tend::tendctl
