#include "core/tendctl/coordinator_reply.h"

#include <gtest/gtest.h>

#include "schemas/heartbeat.pb.h"
#include "schemas/task.pb.h"

namespace tend::tendctl {
namespace {

tend::Summary a_summary() {
  tend::Summary s;
  s.set_task_id("t-6f1c0a9e2b7d4c35");
  s.set_plugin("noop");
  s.set_expected(1);
  s.set_responded(1);
  s.set_succeeded(1);
  s.set_text("1/1 succeeded");
  return s;
}

std::string refusal(const std::string& why) {
  tend::ErrorReply error;
  error.set_error(why);
  return error.SerializeAsString();
}

TEST(ClassifyReply, ASummaryIsASummary) {
  for (auto encoding : {Encoding::kProtobuf, Encoding::kJson}) {
    auto reply = classify_reply(encode(a_summary(), encoding), encoding);
    ASSERT_EQ(reply.kind, SubmitReply::Kind::kSummary) << reply.reason;
    EXPECT_EQ(reply.summary.text(), "1/1 succeeded");
  }
}

TEST(ClassifyReply, AnErrorReplyIsARefusalInTheCoordinatorsWords) {
  auto reply = classify_reply(refusal("unknown plugin 'nope'"), Encoding::kProtobuf);
  EXPECT_EQ(reply.kind, SubmitReply::Kind::kRefused);
  EXPECT_EQ(reply.reason, "unknown plugin 'nope'");
  auto json = classify_reply(R"({"error": "task id 'x' is already in flight"})", Encoding::kJson);
  EXPECT_EQ(json.kind, SubmitReply::Kind::kRefused);
  EXPECT_EQ(json.reason, "task id 'x' is already in flight");
}

// The reason the rule is safe: ErrorReply's field number (1000) is one no
// Summary field has, so a summary whose first field is a string is not
// mistaken for a refusal, nor a refusal for a summary.
TEST(ClassifyReply, FieldsNeverOverlap) {
  tend::Summary summary = a_summary();
  summary.set_text("0/1 succeeded; web-01 FAILED: error");
  EXPECT_EQ(classify_reply(summary.SerializeAsString(), Encoding::kProtobuf).kind,
            SubmitReply::Kind::kSummary);
  tend::Summary read_as_summary;
  ASSERT_TRUE(read_as_summary.ParseFromString(refusal("bad target")));
  EXPECT_TRUE(read_as_summary.task_id().empty());
}

TEST(ClassifyReply, AnythingElseIsUnreadable) {
  EXPECT_EQ(classify_reply("", Encoding::kProtobuf).kind, SubmitReply::Kind::kUnreadable)
      << "an empty answer has no task_id";
  EXPECT_EQ(classify_reply("\xff\xff\xff", Encoding::kProtobuf).kind,
            SubmitReply::Kind::kUnreadable);
  auto json = classify_reply("not json", Encoding::kJson);
  EXPECT_EQ(json.kind, SubmitReply::Kind::kUnreadable);
  EXPECT_FALSE(json.reason.empty());
  EXPECT_EQ(classify_reply(refusal(""), Encoding::kProtobuf).kind, SubmitReply::Kind::kUnreadable)
      << "an ErrorReply without a reason refuses nothing and summarises nothing";
}

TEST(RefusalIn, OnlyAnErrorReplyWithAReasonIsARefusal) {
  EXPECT_EQ(refusal_in(refusal("shutting down"), Encoding::kProtobuf), "shutting down");
  EXPECT_EQ(refusal_in(tend::NodeList().SerializeAsString(), Encoding::kProtobuf), std::nullopt);
  EXPECT_EQ(refusal_in(encode(a_summary(), Encoding::kJson), Encoding::kJson), std::nullopt);
}

}  // namespace
}  // namespace tend::tendctl
