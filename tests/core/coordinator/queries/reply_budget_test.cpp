// Every reply fits in one NATS message: what does not fit is left out, in
// an order that keeps what an operator needs most, and the reply says so.
#include "core/coordinator/queries/reply_budget.h"

#include <gtest/gtest.h>

#include "core/coordinator/queries/task_detail_query.h"
#include "schemas/query.pb.h"

namespace tend {
namespace {

tend::AuditRow audit_row(int64_t id, std::string action, size_t detail_bytes = 10) {
  tend::AuditRow row;
  row.set_id(id);
  row.set_action(std::move(action));
  row.set_detail(std::string(detail_bytes, 'd'));
  return row;
}

tend::ShowReply big_task(int hosts, size_t output_bytes) {
  tend::ShowReply reply;
  reply.mutable_task()->set_task_id("t-1");
  *reply.add_audit() = audit_row(1, "submit");
  *reply.add_audit() = audit_row(2, "dispatch");
  for (int i = 0; i < hosts; ++i) {
    tend::Result& r = *reply.add_results();
    r.set_host("web-" + std::to_string(i));
    r.set_summary("did it");
    (*r.mutable_outputs())["stdout"] = std::string(output_bytes, 'o');
    *reply.add_audit() = audit_row(3 + i, "result");
  }
  *reply.add_audit() = audit_row(3 + hosts, "summary");
  return reply;
}

TEST(ReplyBudget, KeepsRoomForHeaders) {
  EXPECT_EQ(ReplyBudget(1 << 20, Encoding::kJson).max_bytes(), (1u << 20) - 4096);
  EXPECT_LT(ReplyBudget(1000, Encoding::kJson).max_bytes(), 1000u);
}

TEST(ReplyBudget, KeepsRowsFromTheFrontOrTheBack) {
  ReplyBudget budget(1 << 20, Encoding::kProtobuf);
  google::protobuf::RepeatedPtrField<tend::AuditRow> rows;
  for (int i = 1; i <= 10; ++i) *rows.Add() = audit_row(i, "x", 100);
  const size_t each = budget.row_cost(rows.Get(0));
  auto back = rows;
  EXPECT_EQ(budget.keep_within(back, 3 * each, ReplyBudget::Drop::kFromBack), 7u);
  ASSERT_EQ(back.size(), 3);
  EXPECT_EQ(back.Get(0).id(), 1);
  auto front = rows;
  EXPECT_EQ(budget.keep_within(front, 3 * each + each / 2, ReplyBudget::Drop::kFromFront), 7u);
  ASSERT_EQ(front.size(), 3);
  EXPECT_EQ(front.Get(0).id(), 8) << "the newest stay";
  EXPECT_EQ(budget.keep_within(rows, 100 * each, ReplyBudget::Drop::kFromBack), 0u);
}

TEST(FitShowReply, AReplyThatFitsIsLeftAlone) {
  tend::ShowReply reply = big_task(3, 100);
  tend::ShowReply fitted = reply;
  fit_show_reply(fitted, ReplyBudget(1 << 20, Encoding::kJson));
  EXPECT_EQ(fitted.SerializeAsString(), reply.SerializeAsString());
}

TEST(FitShowReply, LongOutputsAreCutFirst) {
  tend::ShowReply reply = big_task(20, 60'000);  // 1.2 MB of output
  ReplyBudget budget(1 << 20, Encoding::kJson);
  fit_show_reply(reply, budget);
  EXPECT_TRUE(budget.fits(reply));
  EXPECT_TRUE(reply.outputs_trimmed());
  EXPECT_EQ(reply.results_size(), 20);
  EXPECT_EQ(reply.audit_size(), 23);
  EXPECT_FALSE(reply.results(0).outputs().at("stdout").empty());
  EXPECT_LT(reply.results(0).outputs().at("stdout").size(), 60'000u);
}

TEST(FitShowReply, ThenTheResultAuditRowsThenResults) {
  tend::ShowReply reply = big_task(5000, 10);
  ReplyBudget budget(64 * 1024, Encoding::kJson);
  fit_show_reply(reply, budget);
  EXPECT_TRUE(budget.fits(reply)) << budget.size_of(reply);
  EXPECT_TRUE(reply.outputs_trimmed());
  EXPECT_GT(reply.results_omitted(), 0u);
  EXPECT_EQ(reply.results_size() + static_cast<int>(reply.results_omitted()), 5000);
  EXPECT_EQ(reply.results(0).host(), "web-0") << "the first results stay";
  for (const auto& row : reply.audit()) EXPECT_NE(row.action(), "result");
  EXPECT_EQ(reply.audit_size() + static_cast<int>(reply.audit_omitted()), 5003);
}

}  // namespace
}  // namespace tend
