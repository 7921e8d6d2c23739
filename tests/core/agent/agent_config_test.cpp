#include "core/agent/agent_config.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

Expected<AgentConfig> read(std::string_view text) {
  return read_agent_config(toml::parse(text), "agent.toml");
}

TEST(AgentConfig, ReadsIdentityAndDefaults) {
  auto config = read(R"(
    [identity]
    hostname = "web-01"
    role = "web-server"
    tags = ["production", "nginx"]
  )");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->identity.host, "web-01");
  EXPECT_EQ(config->identity.tags.size(), 2u);
  EXPECT_EQ(config->heartbeat_interval.count(), 10);
  EXPECT_EQ(config->max_concurrent, 4u);
  EXPECT_EQ(config->isolation.memory_limit_bytes, 1ULL << 30);
  EXPECT_EQ(config->metrics.textfile_dir, "/var/lib/prometheus/node-exporter");
}

TEST(AgentConfig, ReadsTheMetricsTextfileDirectory) {
  auto config = read("[identity]\nrole = \"web\"\n[metrics]\ntextfile_dir = \"/srv/textfiles\"\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->metrics.textfile_dir, "/srv/textfiles");

  auto bad = read("[identity]\nrole = \"web\"\n[metrics]\ntextfile_dir = [\"/a\"]\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "agent.toml: [metrics] textfile_dir must be a directory path or \"\" (line 4)");
}

TEST(AgentConfig, ReadsIsolationLimitsAsOperatorsWriteThem) {
  auto config = read(R"(
    [identity]
    hostname = "web-01"
    role = "web"
    [plugins]
    memory_limit = "256MiB"
    cpu_limit = "2m"
    kill_grace = "1s"
    output_limit = 4096
    max_concurrent_per_plugin = 1
  )");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->isolation.memory_limit_bytes, 256ULL << 20);
  EXPECT_EQ(config->isolation.cpu_limit_s, 120u);
  EXPECT_EQ(config->isolation.kill_grace.count(), 1000);
  EXPECT_EQ(config->isolation.output_limit_bytes, 4096u);
  EXPECT_EQ(config->isolation.max_concurrent_per_plugin, 1u);
}

TEST(AgentConfig, AHostnameThatCannotBeInASubjectIsRefused) {
  auto config = read(R"(
    [identity]
    hostname = "web.01"
    role = "web"
  )");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "agent.toml: hostname 'web.01' has '.': only letters, digits, '_' and '-' are "
            "allowed (set [identity] hostname)");
}

TEST(AgentConfig, ARoleIsRequiredAndTagsAreChecked) {
  EXPECT_EQ(read("[identity]\nhostname = \"a\"").error().message,
            "agent.toml: [identity] role is required");
  auto bad_tag = read("[identity]\nhostname = \"a\"\nrole = \"r\"\ntags = [\"ok\", \"no way\"]");
  ASSERT_FALSE(bad_tag);
  EXPECT_NE(bad_tag.error().message.find("tag 'no way'"), std::string::npos);
}

TEST(AgentConfig, AValueOfTheWrongKindNamesTheKey) {
  auto config =
      read("[identity]\nhostname = \"a\"\nrole = \"r\"\n[plugins]\nmemory_limit = \"lots\"");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("[plugins] memory_limit"), std::string::npos);
  auto interval = read("[identity]\nhostname = \"a\"\nrole = \"r\"\n[heartbeat]\ninterval_s = 0");
  ASSERT_FALSE(interval);
  EXPECT_NE(interval.error().message.find("interval_s must be between 1 and 3600"),
            std::string::npos);
}

TEST(AgentConfig, ReadsEachPluginsSettingsTable) {
  auto config = read(R"(
    [identity]
    role = "web-server"
    [plugin.disk-cleanup]
    log_dirs = ["/var/log", "/srv/app/logs"]
    max_files = 5000
    gzip = true
    [plugin.service-restart]
    allow = "nginx"
  )");
  ASSERT_TRUE(config) << config.error().message;
  const auto& cleanup = config->plugin_settings.at("disk-cleanup");
  ASSERT_NE(cleanup.find("log_dirs"), nullptr);
  EXPECT_TRUE(cleanup.find("log_dirs")->is_list);
  EXPECT_EQ(cleanup.find("log_dirs")->items.size(), 2u);
  EXPECT_EQ(cleanup.find("max_files")->text(), "5000");
  EXPECT_EQ(cleanup.find("gzip")->text(), "true");
  EXPECT_EQ(config->plugin_settings.at("service-restart").find("allow")->text(), "nginx");
}

TEST(AgentConfig, ASettingThatIsATableIsRefusedWithItsLine) {
  auto config = read("[identity]\nrole = \"web\"\n[plugin.disk-cleanup]\nroots = { a = 1 }\n");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("agent.toml:4: [plugin.disk-cleanup] roots must be"),
            std::string::npos)
      << config.error().message;
}

TEST(AgentConfig, APluginSectionWithABadNameIsRefused) {
  auto config = read("[identity]\nrole = \"web\"\n[plugin.\"disk cleanup\"]\nx = 1\n");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("[plugin.disk cleanup]"), std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace tend
