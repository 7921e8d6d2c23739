#include "core/common/metrics_config.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

TEST(MetricsConfig, DefaultsToNodeExportersTextfileDirectory) {
  auto config = read_metrics_config(toml::parse(""), "agent.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->textfile_dir, "/var/lib/prometheus/node-exporter");
}

TEST(MetricsConfig, ReadsTheDirectoryAndAnEmptyOneTurnsMetricsOff) {
  auto config = read_metrics_config(toml::parse("[metrics]\ntextfile_dir = \"/srv/textfiles\""),
                                    "agent.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->textfile_dir, "/srv/textfiles");

  auto off = read_metrics_config(toml::parse("[metrics]\ntextfile_dir = \"\""), "agent.toml");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->textfile_dir, "");
}

TEST(MetricsConfig, AValueThatIsNotAStringNamesTheKeyAndLine) {
  auto config = read_metrics_config(toml::parse("[metrics]\n\ntextfile_dir = 7\n"), "agent.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, "agent.toml:3: [metrics] textfile_dir must be a string");
}

TEST(MetricsConfig, TheDirectoryIsAPathOfAtMost4096Bytes) {
  auto toml_with = [](size_t bytes) {
    return toml::parse("[metrics]\ntextfile_dir = \"/" + std::string(bytes - 1, 'd') + "\"");
  };
  EXPECT_TRUE(read_metrics_config(toml_with(4096), "agent.toml"));
  auto config = read_metrics_config(toml_with(4097), "agent.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "agent.toml:2: [metrics] textfile_dir is 4097 bytes; the limit is 4096");
}

}  // namespace
}  // namespace tend
