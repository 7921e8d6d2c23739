#include "bus/codec.h"

#include <gtest/gtest.h>

#include <string>

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

// --- Bounds: refused before any parser runs -----------------------------------

// {"plugin":"noop","params":{"x":[[...]]}} nesting `depth` levels in all.
std::string task_json_nested(size_t depth) {
  const size_t lists = depth - 2;  // the task's object and its params
  return R"({"plugin":"noop","params":{"x":)" + std::string(lists, '[') + std::string(lists, ']') +
         "}}";
}

TEST(Codec, JsonNestedDeeperThanTheBoundIsRefusedNamingIt) {
  tend::Task task;
  auto deepest = decode(task_json_nested(kMaxJsonDepth), Encoding::kJson, task);
  EXPECT_TRUE(deepest) << deepest.error().message;

  auto deeper = decode(task_json_nested(kMaxJsonDepth + 1), Encoding::kJson, task);
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().message, "JSON nesting is 33 levels deep; the limit is 32");

  auto hostile = decode(std::string(100'000, '['), Encoding::kJson, task);
  ASSERT_FALSE(hostile);
  EXPECT_EQ(hostile.error().message, "JSON nesting is 100000 levels deep; the limit is 32");
}

TEST(Codec, BracketsInsideStringsDoNotCountAsNesting) {
  tend::Task task;
  std::string reason(1000, '[');
  auto ok = decode(R"({"plugin":"noop","reason":")" + reason + R"(\"[{"})", Encoding::kJson, task);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(task.reason(), reason + "\"[{");
}

// A Task whose params hold `lists` lists, each inside the one before; with
// `innermost_value` the last holds one (empty) value more.
tend::Task task_with_nested_lists(int lists, bool innermost_value) {
  tend::Task task;
  google::protobuf::Value* value = &(*task.mutable_params()->mutable_fields())["x"];
  for (int i = 0; i < lists; ++i) {
    auto* list = value->mutable_list_value();
    if (i + 1 < lists || innermost_value) value = list->add_values();
  }
  return task;
}

TEST(Codec, ProtobufNestedDeeperThanTheBoundIsRefusedNamingIt) {
  // Task > params Struct (1) > map entry (2) > Value (3) > ListValue (4) > Value (5) ...:
  // 49 lists reach level 100, one value inside the last level 101.
  tend::Task back;
  auto deepest = decode(encode(task_with_nested_lists(49, false), Encoding::kProtobuf),
                        Encoding::kProtobuf, back);
  EXPECT_TRUE(deepest) << deepest.error().message;

  auto deeper = decode(encode(task_with_nested_lists(49, true), Encoding::kProtobuf),
                       Encoding::kProtobuf, back);
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().message,
            "malformed protobuf: not a valid Task message (or nested deeper than 100 levels)");
}

TEST(Codec, EveryJsonTheBoundAdmitsAlsoDecodesAsProtobuf) {
  // Objects nest deepest in binary: three levels for each (Value, Struct, entry).
  std::string json = R"({"plugin":"noop","params":)";
  for (size_t level = 2; level < kMaxJsonDepth; ++level) json += R"({"a":)";
  json += "{}" + std::string(kMaxJsonDepth - 2, '}') + "}";
  tend::Task task;
  auto from_json = decode(json, Encoding::kJson, task);
  ASSERT_TRUE(from_json) << from_json.error().message;
  tend::Task back;
  auto from_protobuf = decode(encode(task, Encoding::kProtobuf), Encoding::kProtobuf, back);
  EXPECT_TRUE(from_protobuf) << from_protobuf.error().message;
}

TEST(Codec, AMessageOverTheSizeBoundIsRefusedUnread) {
  tend::Task task;
  std::string just_at(kMaxMessageBytes, ' ');
  const std::string object = R"({"plugin":"noop"})";
  just_at.replace(0, object.size(), object);
  auto accepted = decode(just_at, Encoding::kJson, task);
  EXPECT_TRUE(accepted) << accepted.error().message;

  std::string over(kMaxMessageBytes + 1, ' ');
  for (auto encoding : {Encoding::kJson, Encoding::kProtobuf}) {
    auto refused = decode(over, encoding, task);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, "message is 8388609 bytes; the limit is 8388608");
  }
}

TEST(Codec, AnErrorQuotesAtMostAFewHundredBytesOfTheInput) {
  tend::Task task;
  const std::string field(100'000, 'a');
  auto ok = decode(R"({")" + field + R"(":1})", Encoding::kJson, task);
  ASSERT_FALSE(ok);
  EXPECT_LT(ok.error().message.size(), 300u) << ok.error().message.substr(0, 300);
  EXPECT_NE(ok.error().message.find("unknown field \"aaaa"), std::string::npos);
}

}  // namespace
}  // namespace tend
