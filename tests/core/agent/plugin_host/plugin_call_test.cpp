// The lifecycle a task runs through: diagnose → remediate → verify, a dry
// run that stops after diagnose, rollback when verify fails, and a plugin
// whose hook throws ending as a failure with its message.
#include "core/agent/plugin_host/plugin_call.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/core/agent/plugin_test_files.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using ::testing::Key;
using testing::noop_plugin;
using ::testing::Not;
using ::testing::Pair;
using testing::test_plugin;
using ::testing::UnorderedElementsAre;

std::shared_ptr<PluginLibrary> load(const std::filesystem::path& path) {
  auto library = PluginLibrary::load(path);
  EXPECT_TRUE(library) << library.error().message;
  return library ? *library : nullptr;
}

struct PluginRun {
  std::shared_ptr<PluginLibrary> library;
  std::atomic<bool> cancel{false};

  explicit PluginRun(const std::filesystem::path& path) : library(load(path)) {}

  PluginOutcome operator()(const std::string& json, bool dry_run = false) {
    google::protobuf::Struct params;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &params).ok()) << json;
    auto validated = validate_params(library->plugin(), params);
    EXPECT_TRUE(validated) << validated.error().message;
    return run_lifecycle(*library, std::move(*validated), PluginSettings{}, dry_run, cancel);
  }
};

TEST(Lifecycle, NoopSucceedsAndIsVerified) {
  PluginRun noop(noop_plugin());
  auto outcome = noop(R"({"sleep_ms": "20"})");
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(outcome.error, "");
  EXPECT_THAT(outcome.summary, ::testing::MatchesRegex("noop slept [0-9]+ ms"));
  EXPECT_GE(std::stoi(outcome.outputs.at("sleep_ms")), 20);
  EXPECT_GE(outcome.figures.at("slept_ms"), 20);
}

TEST(Lifecycle, NoopFailsWithTheMessageItWasGiven) {
  PluginRun noop(noop_plugin());
  auto outcome = noop(R"({"fail": "repo error"})");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_FALSE(outcome.verified);
  EXPECT_EQ(outcome.error, "repo error");
}

TEST(Lifecycle, DryRunStopsAfterDiagnoseAndSaysWhatWouldHappen) {
  PluginRun noop(noop_plugin());
  auto started = std::chrono::steady_clock::now();
  auto outcome = noop(R"({"sleep_ms": 5000})", /*dry_run=*/true);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << "no sleep";
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_FALSE(outcome.verified);
  EXPECT_EQ(outcome.summary, "noop would sleep 5000 ms");
  EXPECT_EQ(outcome.outputs.at("sleep_ms"), "5000");
}

TEST(Lifecycle, DryRunIsRefusedByAPluginThatCannotDoIt) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted("{}", /*dry_run=*/true);
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "plugin scripted does not support dry run");
  EXPECT_TRUE(outcome.outputs.empty()) << "no hook ran";
}

TEST(Lifecycle, CancelStopsNoopEarly) {
  PluginRun noop(noop_plugin());
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    noop.cancel = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto outcome = noop(R"({"sleep_ms": 60000})");
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("cancelled after"));
}

TEST(Lifecycle, NothingToDoEndsAfterDiagnoseAsASuccess) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted(R"({"diagnose": "nothing"})");
  EXPECT_TRUE(outcome.succeeded);
  EXPECT_EQ(outcome.summary, "nothing to do");
  EXPECT_THAT(outcome.outputs, UnorderedElementsAre(Pair("diagnose", "ran")));
}

TEST(Lifecycle, EveryHookRunsInOrderWhenAllGoesWell) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted("{}");
  EXPECT_TRUE(outcome.succeeded);
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(outcome.summary, "scripted remediated and verified") << "the host's words";
  EXPECT_THAT(outcome.outputs,
              UnorderedElementsAre(Pair("diagnose", "ran"), Pair("remediate", "ran"),
                                   Pair("verify", "ran")));
}

TEST(Lifecycle, FailedVerifyRunsRollbackAndReportsBoth) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted(R"({"verify": "fail"})");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_FALSE(outcome.verified);
  EXPECT_TRUE(outcome.rolled_back);
  EXPECT_EQ(outcome.outputs.at("rollback"), "ran");
  EXPECT_EQ(outcome.error, "verify failed: verify was told to fail; rolled back");
}

TEST(Lifecycle, FailedRollbackIsReportedWithTheVerifyFailure) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted(R"({"verify": "fail", "rollback": "fail"})");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_FALSE(outcome.rolled_back);
  EXPECT_EQ(outcome.error,
            "verify failed: verify was told to fail; rollback failed: rollback was told to fail");
}

TEST(Lifecycle, FailedRemediateSkipsVerify) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted(R"({"remediate": "fail"})");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "remediate was told to fail");
  EXPECT_EQ(outcome.summary, outcome.error) << "the plugin gave no summary";
  EXPECT_THAT(outcome.outputs, Not(::testing::Contains(Key("verify"))));
}

TEST(Lifecycle, AHookThatThrowsFailsWithTheMessage) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted(R"({"remediate": "throw"})");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "remediate threw an exception: remediate blew up");
}

TEST(Lifecycle, AHookThatThrowsSomethingOddStillFails) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  auto outcome = scripted(R"({"diagnose": "throw-int"})");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error,
            "diagnose failed: diagnose threw an exception: not a std::exception, so no message");
}

TEST(Lifecycle, AlreadyCancelledRunsNoHook) {
  PluginRun scripted(test_plugin("test_scripted.so"));
  scripted.cancel = true;
  auto outcome = scripted("{}");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "cancelled before diagnose");
  EXPECT_TRUE(outcome.outputs.empty());
}

TEST(Lifecycle, ACPluginReadsEveryParamTypeThroughTheHost) {
  PluginRun echo(test_plugin("test_echo_params.so"));
  auto outcome = echo(R"({"text": "hi", "count": "42", "force": true, "max_age": "2h",
                          "min_free": "500MB", "paths": ["/a", "/b"]})");
  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.outputs.at("text"), "hi");
  EXPECT_EQ(outcome.outputs.at("count"), "42");
  EXPECT_EQ(outcome.outputs.at("force"), "true");
  EXPECT_EQ(outcome.outputs.at("max_age"), "7200");
  EXPECT_EQ(outcome.outputs.at("max_age_text"), "2h");
  EXPECT_EQ(outcome.outputs.at("min_free"), "500000000");
  EXPECT_EQ(outcome.outputs.at("paths"), "/a|/b");
  EXPECT_EQ(outcome.summary, "echo-params remediated");
  ASSERT_EQ(outcome.log.size(), 1u);
  EXPECT_EQ(outcome.log[0].text, "echoed every param");
}

TEST(Lifecycle, ACPluginGetsDefaults) {
  PluginRun echo(test_plugin("test_echo_params.so"));
  auto outcome = echo("{}");
  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.outputs.at("text"), "hello");
  EXPECT_EQ(outcome.outputs.at("max_age"), "604800");
  EXPECT_EQ(outcome.outputs.at("min_free"), "1073741824");
  EXPECT_EQ(outcome.outputs.at("paths"), "/tmp|/var/tmp");
}

}  // namespace
}  // namespace tend
