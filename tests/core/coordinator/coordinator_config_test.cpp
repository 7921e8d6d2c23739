// coordinator.toml: what it may say, and what a mistake in it looks like.
#include "core/coordinator/coordinator_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace tend {
namespace {

using namespace std::chrono_literals;

class CoordinatorConfigTest : public ::testing::Test {
 protected:
  void TearDown() override { std::remove(path.c_str()); }

  Expected<CoordinatorConfig> load(const std::string& text) {
    std::ofstream(path) << text;
    return load_coordinator_config(path);
  }

  // One file per test: ctest runs them side by side.
  std::string path = ::testing::TempDir() +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml";
};

TEST_F(CoordinatorConfigTest, AGoodFileSetsEveryKey) {
  auto config = load(R"(
[nats]
servers = ["nats://10.0.0.1:4222", "nats://10.0.0.2:4222"]
subject_prefix = "acme"

[tasks]
default_timeout_s = 120
grace_s = 5
ack_timeout_ms = 1500

[database]
url = "postgresql://tend@127.0.0.1:5432/tend"

[http]
listen = "127.0.0.1:9095"

[metrics]
textfile_dir = "/srv/node-exporter"

[log]
level = "debug"
)");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->nats.servers.size(), 2u);
  EXPECT_EQ(config->nats.subject_prefix, "acme");
  EXPECT_EQ(config->tasks.default_timeout, 120s);
  EXPECT_EQ(config->tasks.grace, 5s);
  EXPECT_EQ(config->tasks.ack_timeout, 1500ms);
  EXPECT_EQ(config->database_url, "postgresql://tend@127.0.0.1:5432/tend");
  EXPECT_EQ(config->http_listen, "127.0.0.1:9095");
  EXPECT_EQ(config->metrics.textfile_dir, "/srv/node-exporter");
  EXPECT_EQ(config->log_level, "debug");
}

TEST_F(CoordinatorConfigTest, MetricsGoToNodeExportersDirectoryUnlessTurnedOff) {
  auto defaults = load("");
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->metrics.textfile_dir, "/var/lib/prometheus/node-exporter");

  auto off = load("[metrics]\ntextfile_dir = \"\"\n");
  ASSERT_TRUE(off) << off.error().message;
  EXPECT_EQ(off->metrics.textfile_dir, "");

  auto bad = load("[metrics]\ntextfile_dir = false\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            path + ":2: [metrics] textfile_dir must be a string");
}

TEST_F(CoordinatorConfigTest, AnEmptyFileMeansTheDefaults) {
  auto config = load("");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->nats.servers, std::vector<std::string>{"nats://127.0.0.1:4222"});
  EXPECT_EQ(config->tasks.default_timeout, 300s);
  EXPECT_EQ(config->tasks.grace, 5s);
  EXPECT_EQ(config->tasks.ack_timeout, 3000ms);
  EXPECT_EQ(config->log_level, "info");
}

TEST_F(CoordinatorConfigTest, BadTomlNamesTheFileAndLine) {
  auto config = load("[tasks]\ngrace_s = 2\n[nats\nservers = []\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message.rfind(path + ":3:", 0), 0u) << config.error().message;
}

TEST_F(CoordinatorConfigTest, AValueOfTheWrongTypeNamesFileKeyAndLine) {
  auto config = load("[tasks]\n\ngrace_s = \"two\"\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            path + ":3: [tasks] grace_s must be a whole number");
}

TEST_F(CoordinatorConfigTest, AValueOutOfRangeIsRefused) {
  auto config = load("[tasks]\ndefault_timeout_s = 0\n");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find(":2: [tasks] default_timeout_s 0 is out of range: use 1 to 86400"),
            std::string::npos)
      << config.error().message;
}

TEST_F(CoordinatorConfigTest, AnUnknownLogLevelIsRefused) {
  auto config = load("[log]\nlevel = \"loud\"\n");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("[log] level 'loud' is not one of"), std::string::npos)
      << config.error().message;
}

TEST_F(CoordinatorConfigTest, ABadNatsSectionNamesTheFile) {
  auto config = load("[nats]\nservers = []\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, path + ":2: [nats] servers must be a non-empty list of URLs");
}

// A typo would leave a setting at its default unnoticed: the coordinator
// refuses to start instead, naming the first one in the file.
TEST_F(CoordinatorConfigTest, UnknownSectionsAndKeysAreRefused) {
  auto config = load("[tasks]\ntimeout_s = 10\n[metric]\ntextfile_dir = \"/x\"\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, path +
                                        ":2: unknown key 'timeout_s' in [tasks] (known: "
                                        "default_timeout_s, grace_s, ack_timeout_ms)");

  auto section = load("[tasks]\ngrace_s = 5\n[metric]\ntextfile_dir = \"/x\"\n");
  ASSERT_FALSE(section);
  EXPECT_EQ(
      section.error().message.rfind(
          path + ":3: unknown section '[metric]' (known: [coordinator], [nats], [tasks], ", 0),
      0u)
      << section.error().message;
  EXPECT_NE(section.error().message.find("[metrics]"), std::string::npos)
      << "the known sections include the one meant";
}

TEST_F(CoordinatorConfigTest, AnUnknownKeyInAnySectionIsRefusedNamingFileLineAndKey) {
  auto config = load(
      "[nats]\nservers = [\"nats://127.0.0.1:4222\"]\n\n[breakers]\nmax_fixes_per_hour = 3\n"
      "max_fixes_per_hr = 5\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            path +
                ":6: unknown key 'max_fixes_per_hr' in [breakers] (known: max_fixes_per_hour, "
                "max_consecutive_failures, fleet_failure_rate, fleet_window, fleet_min_fixes, "
                "cool_down)");

  auto outside = load("name = \"c1\"\n[coordinator]\nname = \"c1\"\n");
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().message.rfind(path + ":1: unknown key 'name' outside any section", 0),
            0u)
      << outside.error().message;

  auto value = load("nats = \"nats://127.0.0.1:4222\"\n");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().message, path + ":1: nats must be a section, [nats]");
}

}  // namespace
}  // namespace tend

namespace tend {
namespace {

TEST(CoordinatorConfigSchedules, ScheduleKeysAreReadAndBadOnesRefused) {
  auto config = read_coordinator_config(
      toml::parse(
          "[schedules]\nfile = \"/etc/tend/schedules.toml\"\npoll_ms = 500\nsettle_ms = 0\n"),
      "coordinator.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->schedules.file, "/etc/tend/schedules.toml");
  EXPECT_EQ(config->schedules.poll.count(), 500);
  EXPECT_EQ(config->schedules.settle.count(), 0);
  auto bad = read_coordinator_config(toml::parse("[schedules]\npoll_ms = 5\n"), "coordinator.toml");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("[schedules] poll_ms must be"), std::string::npos);
  auto typo =
      read_coordinator_config(toml::parse("[schedules]\nfiel = \"x\"\n"), "coordinator.toml");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().message,
            "coordinator.toml:2: unknown key 'fiel' in [schedules] (known: enabled, file, poll_ms, "
            "max_missed, settle_ms)");
}

}  // namespace
}  // namespace tend
