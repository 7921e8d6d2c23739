// `tendctl history`: one row per task, newest first as the coordinator sends
// them, with what became of each in one line.
#include "core/tendctl/history_table.h"

#include <gtest/gtest.h>

#include "tests/core/tendctl/in_utc.h"

namespace tend::tendctl {
namespace {

tend::TaskSummaryRow finished(std::string id, int64_t at, std::string target, std::string text,
                              uint32_t expected, uint32_t succeeded) {
  tend::TaskSummaryRow row;
  row.set_task_id(std::move(id));
  row.set_plugin("noop");
  row.set_origin("submit");
  row.set_target(std::move(target));
  row.mutable_dispatched_at()->set_seconds(at);
  row.mutable_finished_at()->set_seconds(at + 1);
  row.set_expected(expected);
  row.set_succeeded(succeeded);
  row.set_failed(expected - succeeded);
  row.set_responded(expected);
  row.set_complete(true);
  row.set_text(std::move(text));
  return row;
}

class HistoryTable : public ::testing::Test {
 protected:
  void SetUp() override { use_utc(); }
};

TEST_F(HistoryTable, OneRowPerTaskInTheOrderGivenThenHowMany) {
  tend::HistoryReply reply;
  *reply.add_tasks() = finished("t-2", 1'795'000'060, "target hosts=web-01",
                                "0/1 succeeded; web-01 FAILED: repo error", 1, 0);
  *reply.add_tasks() =
      finished("t-1", 1'795'000'000, "target roles=web-server", "2/2 succeeded", 2, 2);
  EXPECT_EQ(render_history(reply, false),
            "WHEN                 TASK  PLUGIN  TARGET            RESULT\n"
            "2026-11-18 11:07:40  t-2   noop    hosts=web-01      0/1 succeeded; web-01 FAILED: "
            "repo error\n"
            "2026-11-18 11:06:40  t-1   noop    roles=web-server  2/2 succeeded\n"
            "2 tasks\n");
}

TEST_F(HistoryTable, SaysWhenMoreMatchAndHowToNarrow) {
  tend::HistoryReply reply;
  *reply.add_tasks() = finished("t-1", 1'795'000'000, "target all", "1/1 succeeded", 1, 1);
  reply.set_more(true);
  std::string out = render_history(reply, false);
  EXPECT_NE(out.find("1 task, newest first; more match: narrow with --host, --plugin, --status or "
                     "--since, or raise --limit\n"),
            std::string::npos)
      << out;
}

TEST_F(HistoryTable, SaysSoWhenNothingMatches) {
  EXPECT_EQ(render_history(tend::HistoryReply(), false), "No task matches.\n");
}

TEST_F(HistoryTable, ColoursTheResultByOutcome) {
  tend::HistoryReply reply;
  *reply.add_tasks() = finished("t-ok", 1'795'000'000, "target all", "1/1 succeeded", 1, 1);
  *reply.add_tasks() = finished("t-bad", 1'795'000'000, "target all", "0/1 succeeded", 1, 0);
  tend::TaskSummaryRow running = finished("t-run", 1'795'000'000, "target all", "", 2, 0);
  running.clear_finished_at();
  running.set_failed(0);
  running.set_responded(0);
  *reply.add_tasks() = running;
  std::string out = render_history(reply, true);
  EXPECT_NE(out.find("\x1b[32m1/1 succeeded\x1b[0m"), std::string::npos) << out;
  EXPECT_NE(out.find("\x1b[31m0/1 succeeded\x1b[0m"), std::string::npos) << out;
  EXPECT_NE(out.find("\x1b[33min flight"), std::string::npos) << out;
}

TEST(OutcomeLine, TheSummaryLineOnceFinishedHowManyAnsweredBefore) {
  tend::TaskSummaryRow row = finished("t-1", 1'795'000'000, "target all", "3/3 succeeded", 3, 3);
  EXPECT_EQ(outcome_line(row), "3/3 succeeded");
  row.set_dry_run(true);
  EXPECT_EQ(outcome_line(row), "dry run: 3/3 succeeded");
  row.set_dry_run(false);
  row.clear_finished_at();
  row.set_responded(1);
  EXPECT_EQ(outcome_line(row), "in flight: 1/3 answered");
}

TEST(TargetText, AsTypedOrTheSubjectOfADirectTask) {
  tend::TaskSummaryRow row;
  row.set_target("target roles=web-server tags=production");
  EXPECT_EQ(target_text(row), "roles=web-server tags=production");
  row.set_target("tend.task.host.web-01");
  EXPECT_EQ(target_text(row), "tend.task.host.web-01");
  row.set_target("");
  EXPECT_EQ(target_text(row), "-");
}

}  // namespace
}  // namespace tend::tendctl
