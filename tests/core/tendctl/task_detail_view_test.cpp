// `tendctl show`: what was asked, by whom and why; what each host did, and
// why the silent ones were silent; bounded outputs; figures; the audit rows.
#include "core/tendctl/task_detail_view.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tests/core/tendctl/in_utc.h"

namespace tend::tendctl {
namespace {

constexpr int64_t kAt = 1'795'000'000;  // 2026-11-18 11:06:40 UTC

tend::Result result(std::string host, tend::Status status, uint64_t ms, std::string summary,
                    std::string error = "") {
  tend::Result r;
  r.set_host(std::move(host));
  r.set_status(status);
  r.set_duration_ms(ms);
  r.set_summary(std::move(summary));
  r.set_error(std::move(error));
  return r;
}

std::string host_name(int i) { return fmt::format("web-{:02}", i); }

tend::ShowReply finished_task() {
  tend::ShowReply reply;
  auto& task = *reply.mutable_task();
  task.set_task_id("t-1");
  task.set_plugin("disk-cleanup");
  task.set_origin("submit");
  task.set_target("target roles=web-server");
  task.set_requested_by("alice");
  task.set_reason("DiskFull on web-01");
  task.mutable_dispatched_at()->set_seconds(kAt);
  task.mutable_finished_at()->set_seconds(kAt + 4);
  task.set_expected(3);
  task.set_succeeded(1);
  task.set_failed(1);
  task.set_responded(2);
  task.set_text("1/3 succeeded; web-02 FAILED: repo error; web-03 unreachable");
  reply.set_state("finished");
  (*reply.mutable_params()->mutable_fields())["max_age_days"].set_number_value(7);
  reply.set_timeout_s(300);
  for (const char* host : {"web-01", "web-02", "web-03"}) reply.add_expected_hosts(host);
  reply.add_acknowledged("web-01");
  reply.add_acknowledged("web-02");
  reply.add_unreachable("web-03");
  reply.set_duration_ms(3500);
  tend::Result ok = result("web-01", tend::SUCCEEDED, 1200, "freed 2.1 GiB");
  (*ok.mutable_outputs())["usage_before"] = "93%";
  (*ok.mutable_outputs())["deleted"] = "/var/log/a.gz\n/var/log/b.gz\n";
  (*ok.mutable_figures())["bytes_reclaimed"] = 2254857830;
  *reply.add_results() = ok;
  *reply.add_results() = result("web-02", tend::FAILED, 30, "", "repo error");
  tend::AuditRow audit;
  audit.set_id(7);
  audit.mutable_at()->set_seconds(kAt);
  audit.set_actor("alice");
  audit.set_action("submit");
  audit.set_target("roles=web-server");
  audit.set_detail(R"({"plugin":"disk-cleanup"})");
  *reply.add_audit() = audit;
  return reply;
}

class TaskDetail : public ::testing::Test {
 protected:
  void SetUp() override { use_utc(); }
};

TEST_F(TaskDetail, AFinishedTaskInFull) {
  EXPECT_EQ(
      render_task_detail(finished_task(), false),
      "task t-1 (disk-cleanup): finished\n"
      "  target:    roles=web-server\n"
      "  requested: alice via submit, 2026-11-18 11:06:40\n"
      "  reason:    DiskFull on web-01\n"
      "  params:    {\"max_age_days\":7}\n"
      "  timeout:   300s\n"
      "  finished:  2026-11-18 11:06:44, after 3.5s\n"
      "  summary:   1/3 succeeded; web-02 FAILED: repo error; web-03 unreachable\n"
      "\n"
      "HOST    STATUS       DURATION  SUMMARY/ERROR\n"
      "web-01  SUCCEEDED        1.2s  freed 2.1 GiB\n"
      "web-02  FAILED           30ms  repo error\n"
      "web-03  UNREACHABLE         -  never acknowledged the task (down, cut off, or no "
      "agent)\n"
      "\n"
      "Outputs\n"
      "  web-01\n"
      "    deleted: /var/log/a.gz\n"
      "             /var/log/b.gz\n"
      "    usage_before: 93%\n"
      "\n"
      "Figures\n"
      "HOST    FIGURES\n"
      "web-01  bytes_reclaimed=2254857830\n"
      "\n"
      "Audit trail\n"
      "ID  AT                   ACTOR  ACTION  TARGET            DETAIL\n"
      " 7  2026-11-18 11:06:40  alice  submit  roles=web-server  {\"plugin\":\"disk-cleanup\"}\n");
}

TEST_F(TaskDetail, AHostThatAcknowledgedButNeverAnsweredSaysSo) {
  tend::ShowReply reply = finished_task();
  reply.clear_unreachable();
  reply.add_no_result("web-03");
  std::string out = render_task_detail(reply, false);
  EXPECT_NE(out.find("web-03  NO RESULT         -  acknowledged, but sent no result before the "
                     "deadline\n"),
            std::string::npos)
      << out;
}

TEST_F(TaskDetail, InFlightShowsTheDeadlineAndWhoIsStillWorking) {
  tend::ShowReply reply = finished_task();
  reply.set_state("in flight");
  reply.mutable_task()->clear_finished_at();
  reply.mutable_task()->clear_text();
  reply.clear_unreachable();
  reply.mutable_deadline()->set_seconds(kAt + 302);
  reply.clear_results();
  *reply.add_results() = result("web-01", tend::SUCCEEDED, 1200, "freed 2.1 GiB");
  reply.mutable_task()->set_responded(1);
  std::string out = render_task_detail(reply, false);
  EXPECT_NE(out.find("task t-1 (disk-cleanup): in flight\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  deadline:  2026-11-18 11:11:42\n"), std::string::npos) << out;
  EXPECT_NE(out.find("  so far:    in flight: 1/3 answered\n"), std::string::npos) << out;
  EXPECT_NE(out.find("web-02  RUNNING           -  acknowledged, working on it\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("web-03  WAITING           -  not acknowledged yet\n"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("finished:"), std::string::npos) << out;
}

TEST_F(TaskDetail, ResultsWithoutATaskShowWhatThereIs) {
  tend::ShowReply reply;
  reply.set_state("results only");
  reply.mutable_task()->set_task_id("t-9");
  reply.mutable_task()->set_plugin("noop");
  *reply.add_results() = result("web-01", tend::SUCCEEDED, 5, "noop slept 0 ms");
  std::string out = render_task_detail(reply, false);
  EXPECT_NE(out.find("task t-9 (noop): results only\n"
                     "  the task itself was not stored; its results were\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("web-01  SUCCEEDED"), std::string::npos) << out;
}

TEST_F(TaskDetail, SaysWhatDidNotFitInOneReply) {
  tend::ShowReply reply = finished_task();
  reply.set_outputs_trimmed(true);
  reply.set_results_omitted(1200);
  reply.set_audit_omitted(1201);
  std::string out = render_task_detail(reply, false);
  EXPECT_NE(out.find("... and 1200 more results that did not fit in one reply\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("(outputs were cut short to fit in one reply)"), std::string::npos) << out;
  EXPECT_NE(out.find("1201 more rows not shown: tendctl audit tail --task t-1 -n 1000\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("UNREACHABLE"), std::string::npos)
      << "with results left out, a host without one is not necessarily silent\n"
      << out;
}

TEST_F(TaskDetail, OutputsOfManyHostsAreBounded) {
  tend::ShowReply reply = finished_task();
  reply.clear_results();
  for (int i = 0; i < kOutputHostsShown + 5; ++i) {
    tend::Result r = result(host_name(i), tend::SUCCEEDED, 1, "ok");
    (*r.mutable_outputs())["stdout"] = "done";
    *reply.add_results() = r;
  }
  std::string out = render_task_detail(reply, false);
  EXPECT_NE(out.find("  ... and the outputs of 5 more hosts: tendctl show t-1 --json\n"),
            std::string::npos)
      << out;
}

TEST(OutputText, ContinuationLinesLineUpUnderTheFirst) {
  EXPECT_EQ(output_text("stdout", "one\ntwo\n", "    "),
            "    stdout: one\n"
            "            two\n");
  EXPECT_EQ(output_text("empty", "", "  "), "  empty: \n");
}

TEST(OutputText, APageOfOutputShowsItsFirstLines) {
  std::string page;
  for (int i = 1; i <= 100; ++i) page += "line " + std::to_string(i) + "\n";
  std::string out = output_text("stdout", page, "");
  EXPECT_NE(out.find("stdout: line 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("        line 12\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("line 13\n"), std::string::npos) << out;
  EXPECT_NE(out.find("        ... 88 more lines\n"), std::string::npos) << out;
}

TEST(OutputText, AVeryLongLineIsCut) {
  std::string out = output_text("k", std::string(1000, 'x'), "");
  EXPECT_EQ(out.size(), 3 + kOutputLineWidth + 1) << out;
  EXPECT_NE(out.find("...\n"), std::string::npos);
}

}  // namespace
}  // namespace tend::tendctl
