#include "core/tendctl/exit_codes.h"

#include <gtest/gtest.h>

namespace tend::tendctl {
namespace {

// A summary of `statuses.size()` expected hosts that all answered.
tend::Summary answered(std::vector<tend::Status> statuses) {
  tend::Summary s;
  s.set_task_id("t-1");
  s.set_expected(static_cast<uint32_t>(statuses.size()));
  s.set_responded(static_cast<uint32_t>(statuses.size()));
  for (auto status : statuses) {
    auto* r = s.add_results();
    r->set_host("web-" + std::to_string(s.results_size()));
    r->set_status(status);
    if (status == tend::SUCCEEDED) {
      s.set_succeeded(s.succeeded() + 1);
    } else {
      s.set_failed(s.failed() + 1);
    }
  }
  s.set_complete(true);
  return s;
}

TEST(ExitCode, ZeroOnlyWhenEveryExpectedHostSucceeded) {
  EXPECT_EQ(exit_code_for(answered({tend::SUCCEEDED, tend::SUCCEEDED})), kAllSucceeded);
}

TEST(ExitCode, OneWhenAnyHostAnsweredWithAnythingButSucceeded) {
  for (auto bad : {tend::FAILED, tend::TIMED_OUT, tend::CRASHED, tend::REJECTED}) {
    EXPECT_EQ(exit_code_for(answered({tend::SUCCEEDED, bad})), kSomeFailed) << bad;
  }
}

TEST(ExitCode, ThreeWhenAHostIsMissingEvenIfAnotherFailed) {
  tend::Summary s = answered({tend::FAILED});
  s.set_expected(2);
  s.add_missing("web-02");
  s.add_unreachable("web-02");
  s.set_complete(false);
  EXPECT_EQ(exit_code_for(s), kSomeMissing);
}

TEST(ExitCode, ThreeWhenTheCountsSayAHostIsMissingAndNoListDoes) {
  tend::Summary s = answered({tend::SUCCEEDED});
  s.set_expected(2);
  EXPECT_EQ(exit_code_for(s), kSomeMissing);
}

TEST(ExitCode, ThreeWhenNoHostMatchedBecauseNothingWasFixed) {
  tend::Summary s;
  s.set_task_id("t-1");
  s.set_text("0/0: no online node matches target roles=cache");
  EXPECT_EQ(exit_code_for(s), kSomeMissing);
}

TEST(ExitCode, OneWhenAResultFailedThoughTheCountsSayOtherwise) {
  tend::Summary s = answered({tend::SUCCEEDED, tend::CRASHED});
  s.set_succeeded(2);
  s.set_failed(0);
  EXPECT_EQ(exit_code_for(s), kSomeFailed);
}

}  // namespace
}  // namespace tend::tendctl
