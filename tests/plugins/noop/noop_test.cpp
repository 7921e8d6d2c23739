// noop, the plugin for trying the fleet out: it sleeps, fails when told to,
// stops early when cancelled, and a dry run says what it would do.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/support/plugin_harness.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::PluginHarness;

PluginHarness noop() {
  auto harness = PluginHarness::load(TEND_PLUGIN_FILE);
  EXPECT_TRUE(harness) << harness.error().message;
  return std::move(*harness);
}

TEST(NoopPlugin, SleepsAndSucceedsVerified) {
  auto outcome = noop().run(R"({"sleep_ms": 30})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded);
  EXPECT_TRUE(outcome->verified);
  EXPECT_GE(outcome->figures.at("slept_ms"), 30);
}

TEST(NoopPlugin, FailsWithTheGivenMessage) {
  auto outcome = noop().run(R"({"fail": "simulated failure"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error, "simulated failure");
}

TEST(NoopPlugin, ADryRunOnlySaysWhatItWouldDo) {
  auto outcome = noop().run(R"({"sleep_ms": 5000})", /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded);
  EXPECT_EQ(outcome->summary, "noop would sleep 5000 ms");
}

TEST(NoopPlugin, StopsSoonAfterCancellation) {
  auto harness = noop();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    harness.cancel() = true;
  });
  auto outcome = harness.run(R"({"sleep_ms": 10000})");
  canceller.join();
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("cancelled after"));
}

TEST(NoopPlugin, AParamOfTheWrongTypeIsRefusedBeforeItRuns) {
  auto outcome = noop().run(R"({"sleep_ms": "soon"})");
  ASSERT_FALSE(outcome);
  EXPECT_THAT(outcome.error().message, HasSubstr("sleep_ms"));
}

TEST(NoopPlugin, SleepIsADayAtMostAndAnAbsurdOneFailsBeforeSleeping) {
  auto longest = noop().run(R"({"sleep_ms": 86400000})", /*dry_run=*/true);
  ASSERT_TRUE(longest) << longest.error().message;
  EXPECT_TRUE(longest->succeeded) << longest->error;
  for (const char* absurd : {R"({"sleep_ms": 86400001})", R"({"sleep_ms": -1})"}) {
    auto outcome = noop().run(absurd);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_FALSE(outcome->succeeded) << absurd;
    EXPECT_THAT(outcome->error, HasSubstr("is out of range: use 0 to 86400000 ms")) << absurd;
  }
  auto outcome = noop().run(R"({"sleep_ms": 99999999999})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->error,
            "diagnose failed: sleep_ms 99999999999 is out of range: use 0 to 86400000 ms");
}

}  // namespace
}  // namespace tend
