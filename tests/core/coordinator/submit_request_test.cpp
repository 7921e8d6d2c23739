// What tend.submit refuses, and how it says so.
#include "core/coordinator/submit_request.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

std::string refusal(std::string_view json) {
  auto task = read_submit(json, Encoding::kJson);
  EXPECT_FALSE(task) << "accepted: " << json;
  return task ? "" : task.error().message;
}

TEST(SubmitRequest, AWellFormedTaskIsAccepted) {
  auto task = read_submit(R"({"plugin": "noop", "target": {"roles": ["web"]}, "wait": false})",
                          Encoding::kJson);
  ASSERT_TRUE(task) << task.error().message;
  EXPECT_EQ(task->plugin(), "noop");
  EXPECT_TRUE(task->id().empty());
  EXPECT_FALSE(task->wait());
}

TEST(SubmitRequest, ProtobufIsAcceptedToo) {
  tend::Task task;
  task.set_plugin("noop");
  task.mutable_target()->set_all(true);
  EXPECT_TRUE(read_submit(task.SerializeAsString(), Encoding::kProtobuf));
}

TEST(SubmitRequest, RefusalsSayWhatIsWrong) {
  EXPECT_NE(refusal("{not json").find("invalid Task JSON"), std::string::npos);
  EXPECT_EQ(refusal(R"({"plugin": "noop", "target": {"all": true}, "colour": "red"})"),
            "invalid Task JSON: unknown field \"colour\"");
  EXPECT_EQ(refusal(R"({"target": {"all": true}})"),
            "plugin is missing: say which plugin to run, e.g. \"plugin\": \"noop\"");
  EXPECT_EQ(refusal(R"({"plugin": "noop"})"),
            "target is empty: give hosts, roles or tags, or \"all\": true");
  EXPECT_NE(refusal(R"({"plugin": "noop", "target": {"hosts": ["web.01"]}})").find("target host"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"id": "a b", "plugin": "noop", "target": {"all": true}})").find("task id"),
            std::string::npos);
  EXPECT_NE(refusal(R"({"plugin": "../x", "target": {"all": true}})").find("plugin '../x'"),
            std::string::npos);
  EXPECT_NE(refusal("").find("empty message"), std::string::npos);
  EXPECT_NE(refusal(R"({"plugin": "package-update", "target": {"all": true}, "force": true})")
                .find("force needs approved_by"),
            std::string::npos)
      << "forcing past the nodes' windows is a human's decision, and names the human";
}

TEST(SubmitRequest, MalformedProtobufIsRefused) {
  auto task = read_submit("\xff\xff\xff", Encoding::kProtobuf);
  ASSERT_FALSE(task);
  EXPECT_EQ(task.error().message,
            "malformed protobuf: not a valid Task message (or nested deeper than 100 levels)");
}

}  // namespace
}  // namespace tend
