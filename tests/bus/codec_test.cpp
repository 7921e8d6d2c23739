#include "bus/codec.h"

#include <gtest/gtest.h>

#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"

namespace tend {
namespace {

TEST(Codec, ReadsTaskJsonWithSnakeCaseNames) {
  tend::Task task;
  auto ok = decode(R"({"id":"t1","target":{"roles":["web-server"]},"plugin":"noop",
                      "params":{"sleep_ms":5},"dry_run":true,"timeout_s":30,
                      "requested_by":"oncall"})",
                   Encoding::kJson, task);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(task.id(), "t1");
  EXPECT_EQ(task.target().roles(0), "web-server");
  EXPECT_TRUE(task.dry_run());
  EXPECT_EQ(task.timeout_s(), 30u);
  EXPECT_EQ(task.params().fields().at("sleep_ms").number_value(), 5);
}

TEST(Codec, UnknownJsonFieldIsAnErrorNamingTheField) {
  tend::Task task;
  auto ok = decode(R"({"plugin":"noop","colour":"red"})", Encoding::kJson, task);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("unknown field \"colour\""), std::string::npos)
      << ok.error().message;
}

TEST(Codec, MalformedJsonIsAnError) {
  tend::Task task;
  auto ok = decode(R"({"plugin":)", Encoding::kJson, task);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("invalid Task JSON"), std::string::npos) << ok.error().message;
}

TEST(Codec, EmptyPayloadIsAnError) {
  tend::Task task;
  auto ok = decode("", Encoding::kJson, task);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("empty message"), std::string::npos);
}

TEST(Codec, GarbageProtobufIsAnError) {
  tend::Task task;
  auto ok = decode("\xff\xff\xff\xff", Encoding::kProtobuf, task);
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("malformed protobuf"), std::string::npos);
}

TEST(Codec, ProtobufRoundTrips) {
  tend::Task task;
  task.set_id("t2");
  task.set_plugin("noop");
  tend::Task back;
  ASSERT_TRUE(decode(encode(task, Encoding::kProtobuf), Encoding::kProtobuf, back));
  EXPECT_EQ(back.id(), "t2");
  EXPECT_EQ(back.plugin(), "noop");
}

TEST(Codec, JsonOutputUsesSnakeCaseAndStatusNames) {
  tend::Summary summary;
  summary.set_task_id("t3");
  auto* r = summary.add_results();
  r->set_status(tend::FAILED);
  r->set_duration_ms(12);
  std::string json = to_json(summary);
  EXPECT_NE(json.find("\"task_id\":\"t3\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"status\":\"FAILED\""), std::string::npos) << json;
}

TEST(Codec, ContentTypeChoosesTheEncoding) {
  EXPECT_EQ(encoding_for_content_type("application/protobuf"), Encoding::kProtobuf);
  EXPECT_EQ(encoding_for_content_type(""), Encoding::kJson);
  EXPECT_EQ(encoding_for_content_type("application/json"), Encoding::kJson);
}

TEST(Codec, AnyReplyCanBeTestedForAnError) {
  tend::Summary summary;
  summary.set_task_id("t4");
  summary.set_text("1/1 succeeded");
  tend::ErrorReply as_error;
  ASSERT_TRUE(decode(encode(summary, Encoding::kProtobuf), Encoding::kProtobuf, as_error));
  EXPECT_TRUE(as_error.error().empty());

  tend::ErrorReply error;
  error.set_error("target is empty");
  tend::ErrorReply back;
  ASSERT_TRUE(decode(encode(error, Encoding::kProtobuf), Encoding::kProtobuf, back));
  EXPECT_EQ(back.error(), "target is empty");
}

}  // namespace
}  // namespace tend
