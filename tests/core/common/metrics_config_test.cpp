#include "core/common/metrics_config.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

TEST(MetricsConfig, DefaultsToNodeExportersTextfileDirectory) {
  auto config = read_metrics_config(toml::parse(""));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->textfile_dir, "/var/lib/prometheus/node-exporter");
}

TEST(MetricsConfig, ReadsTheDirectoryAndAnEmptyOneTurnsMetricsOff) {
  auto config = read_metrics_config(toml::parse("[metrics]\ntextfile_dir = \"/srv/textfiles\""));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->textfile_dir, "/srv/textfiles");

  auto off = read_metrics_config(toml::parse("[metrics]\ntextfile_dir = \"\""));
  ASSERT_TRUE(off);
  EXPECT_EQ(off->textfile_dir, "");
}

TEST(MetricsConfig, AValueThatIsNotAStringNamesTheKeyAndLine) {
  auto config = read_metrics_config(toml::parse("[metrics]\n\ntextfile_dir = 7\n"));
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "[metrics] textfile_dir must be a directory path or \"\" (line 3)");
}

TEST(MetricsConfig, TheDirectoryIsAPathOfAtMost4096Bytes) {
  auto toml_with = [](size_t bytes) {
    return toml::parse("[metrics]\ntextfile_dir = \"/" + std::string(bytes - 1, 'd') + "\"");
  };
  EXPECT_TRUE(read_metrics_config(toml_with(4096)));
  auto config = read_metrics_config(toml_with(4097));
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, "[metrics] textfile_dir is 4097 bytes; the limit is 4096");
}

}  // namespace
}  // namespace tend
