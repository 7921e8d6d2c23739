// The digest as people read it: the one line first, then what needs a
// human, with the commands that show more.
#include "core/coordinator/reports/digest_markdown.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coordinator/reports/digest_figures.h"

namespace tend {
namespace {

using ::testing::HasSubstr;

tend::DailyDigest busy_day() {
  tend::DailyDigest d;
  d.set_day("2026-11-23");
  d.set_automatic_fixes(14);
  d.set_automatic_fixes_succeeded(12);
  d.set_automatic_fixes_failed(2);
  d.set_approvals_waiting(1);
  d.set_approvals_answered(3);
  d.set_escalations(2);
  d.set_windows_run(1);
  d.set_windows_clean(0);
  d.set_hosts_maintained(48);
  d.set_tasks(40);
  d.set_results_failed(5);
  auto* p = d.add_top_failing();
  p->set_pattern("DiskFull");
  p->set_plugin("disk-cleanup");
  p->set_failures(2);
  p->set_attempts(9);
  p->set_last_error("usage still 93% | nothing old enough");
  estimate_time_saved(d, 20, 3);
  return d;
}

TEST(DigestMarkdown, OpensWithTheOneLineSomeoneReadsBeforeCoffee) {
  std::string md = render_digest_markdown(busy_day());
  EXPECT_THAT(md, ::testing::StartsWith("# tend daily digest, 2026-11-23\n\n**12 alerts fixed on "
                                        "their own, 1 fix waiting for approval, 2 problems "
                                        "escalated; about 6.4 hours saved.**"));
}

TEST(DigestMarkdown, SaysWhatNeedsAHumanAndHowToSeeMore) {
  std::string md = render_digest_markdown(busy_day());
  EXPECT_THAT(md, HasSubstr("- 1 approval waiting: `tendctl pending`"));
  EXPECT_THAT(md, HasSubstr("- 2 escalations: `tendctl audit tail`"));
  EXPECT_THAT(md, HasSubstr("- 1 window run, 0 clean, 1 needing attention; 48 hosts maintained"));
  EXPECT_THAT(md, HasSubstr("| DiskFull | disk-cleanup | 2 | 9 | usage still 93%   nothing old "
                            "enough |"))
      << "a | in an error must not break the table";
  EXPECT_THAT(md, HasSubstr("_Time saved is an estimate: 20 minutes of an engineer's time"));
}

TEST(DigestMarkdown, AQuietDaySaysSo) {
  tend::DailyDigest d;
  d.set_day("2026-11-24");
  estimate_time_saved(d, 20, 3);
  std::string md = render_digest_markdown(d);
  EXPECT_THAT(md, HasSubstr("No alert needed a fix."));
  EXPECT_THAT(md, HasSubstr("Nothing is waiting."));
  EXPECT_THAT(md, HasSubstr("No window ran."));
  EXPECT_THAT(md, HasSubstr("No fix failed."));
  EXPECT_THAT(md, HasSubstr("about 0 minutes saved"));
}

}  // namespace
}  // namespace tend
