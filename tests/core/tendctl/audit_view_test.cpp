// The audit trail in tendctl: rows as a table, and the verdict of verify
// in the words scripts and auditors rely on.
#include "core/tendctl/audit_view.h"

#include <gtest/gtest.h>

#include "core/tendctl/exit_codes.h"
#include "tests/core/tendctl/in_utc.h"

namespace tend::tendctl {
namespace {

tend::AuditRow row(int64_t id, std::string actor, std::string action, std::string detail,
                   std::string reason = "") {
  tend::AuditRow r;
  r.set_id(id);
  r.mutable_at()->set_seconds(1'795'000'000 + id);
  r.set_actor(std::move(actor));
  r.set_action(std::move(action));
  r.set_task_id("t-1");
  r.set_target("roles=web-server");
  r.set_reason(std::move(reason));
  r.set_detail(std::move(detail));
  return r;
}

class AuditRows : public ::testing::Test {
 protected:
  void SetUp() override { use_utc(); }
};

TEST_F(AuditRows, OneLineEachWithTheReasonBeforeTheDetail) {
  google::protobuf::RepeatedPtrField<tend::AuditRow> rows;
  *rows.Add() = row(9, "alice", "submit", "{}", "DiskFull on web-01\nsecond line");
  *rows.Add() = row(10, "tend-coordinator@c1", "dispatch", R"({"expected":2})");
  EXPECT_EQ(
      render_audit_rows(rows, /*with_task=*/true),
      "ID  AT                   ACTOR                ACTION    TASK  TARGET            DETAIL\n"
      " 9  2026-11-18 11:06:49  alice                submit    t-1   roles=web-server  "
      "reason: DiskFull on web-01\n"
      "10  2026-11-18 11:06:50  tend-coordinator@c1  dispatch  t-1   roles=web-server  "
      "{\"expected\":2}\n");
}

TEST_F(AuditRows, WithoutTheTaskColumnForOneTasksRows) {
  google::protobuf::RepeatedPtrField<tend::AuditRow> rows;
  *rows.Add() = row(1, "web-01", "result", R"({"status":"FAILED"})");
  EXPECT_EQ(render_audit_rows(rows, /*with_task=*/false),
            "ID  AT                   ACTOR   ACTION  TARGET            DETAIL\n"
            " 1  2026-11-18 11:06:41  web-01  result  roles=web-server  {\"status\":\"FAILED\"}\n");
}

TEST_F(AuditRows, ALongDetailIsCutToOneScreenLine) {
  google::protobuf::RepeatedPtrField<tend::AuditRow> rows;
  *rows.Add() = row(1, "web-01", "result", R"({"summary":")" + std::string(300, 'x') + R"("})");
  std::string out = render_audit_rows(rows, false);
  std::string last = out.substr(out.find('\n') + 1);
  EXPECT_LT(last.size(), 200u) << out;
  EXPECT_NE(last.find("...\n"), std::string::npos) << out;
}

TEST(AuditVerdict, IntactSaysHowManyRowsWereChecked) {
  tend::AuditVerifyReply verdict;
  verdict.set_ok(true);
  verdict.set_rows_checked(1234);
  EXPECT_EQ(render_verification(verdict), "audit trail intact: 1234 rows checked\n");
  EXPECT_EQ(exit_code_for(verdict), kAllSucceeded);
}

TEST(AuditVerdict, IntactNamesTheHeadToKeepElsewhere) {
  tend::AuditVerifyReply verdict;
  verdict.set_ok(true);
  verdict.set_rows_checked(2);
  verdict.set_head_id(2);
  verdict.set_head_hash("ab12");
  EXPECT_EQ(render_verification(verdict),
            "audit trail intact: 2 rows checked\n"
            "head: row 2 sha256 ab12 (keep it elsewhere: rows removed from the end leave no "
            "gap)\n");
}

TEST(AuditVerdict, BrokenNamesTheFirstBadRowAndWhatIsWrong) {
  tend::AuditVerifyReply verdict;
  verdict.set_ok(false);
  verdict.set_rows_checked(1233);
  verdict.set_first_bad_id(1234);
  verdict.set_problem("row 1234 (submit by alice) was altered after it was written");
  EXPECT_EQ(render_verification(verdict),
            "audit trail BROKEN at row 1234: row 1234 (submit by alice) was altered after it was "
            "written\n");
  EXPECT_EQ(exit_code_for(verdict), 1);
}

}  // namespace
}  // namespace tend::tendctl
