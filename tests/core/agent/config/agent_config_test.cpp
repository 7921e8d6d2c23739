#include "core/agent/config/agent_config.h"

#include <gtest/gtest.h>

#include <string>

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
            "agent.toml:4: [metrics] textfile_dir must be a string");
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
            "agent.toml:3: hostname 'web.01' has '.': only letters, digits, '_' and '-' are "
            "allowed (set [identity] hostname)");
}

TEST(AgentConfig, ARoleIsRequiredAndTagsAreChecked) {
  EXPECT_EQ(read("[identity]\nhostname = \"a\"").error().message,
            "agent.toml:1: [identity] role is required");
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
  EXPECT_EQ(interval.error().message,
            "agent.toml:5: [heartbeat] interval_s 0 is out of range: use 1 to 3600");
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

// A typo used to be ignored, leaving its setting at the default unnoticed:
// the agent refuses to start instead, naming the first one in the file.
TEST(AgentConfig, AnUnknownKeyIsRefusedNamingFileLineAndKey) {
  auto config = read("[identity]\nrole = \"web\"\n[plugins]\ndir = \"/x\"\nmax_concurent = 8\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "agent.toml:5: unknown key 'max_concurent' in [plugins] (known: dir, max_concurrent, "
            "max_queued, max_concurrent_per_plugin, runner, memory_limit, cpu_limit, "
            "open_files_limit, kill_grace, output_limit, spare_runners)");
  EXPECT_EQ(read("[identity]\nrole = \"web\"\nhost = \"web-01\"\n").error().message,
            "agent.toml:3: unknown key 'host' in [identity] (known: hostname, role, tags)");
  EXPECT_EQ(read("[identity]\nrole = \"web\"\n[maintenance]\nwindow = []\n").error().message,
            "agent.toml:4: unknown key 'window' in [maintenance] (known: timezone, windows, risk, "
            "plugins, blackout)");
  auto first = read("[log]\nlevle = \"debug\"\n[identity]\nrole = \"web\"\nrol = \"x\"\n");
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().message.rfind("agent.toml:2: unknown key 'levle' in [log]", 0), 0u)
      << "the first in the file, whatever the order of the sections: " << first.error().message;
}

TEST(AgentConfig, AnUnknownSectionIsRefused) {
  auto config = read("[identity]\nrole = \"web\"\n[heartbeats]\ninterval_s = 5\n");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "agent.toml:3: unknown section '[heartbeats]' (known: [identity], [nats], [plugins], "
            "[plugin], [heartbeat], [metrics], [maintenance], [log])");
  auto outside = read("role = \"web\"\n[identity]\nrole = \"web\"\n");
  ASSERT_FALSE(outside);
  EXPECT_EQ(
      outside.error().message.rfind("agent.toml:1: unknown key 'role' outside any section", 0), 0u)
      << outside.error().message;
}

// --- Bounds: each key just inside (read) and just outside (refused, naming
// the key and the limit) ----------------------------------------------------

struct Bound {
  std::string inside;   // TOML after [identity], accepted
  std::string outside;  // refused with `refusal`
  std::string refusal;
};

std::string list_of(size_t n, const std::string& item) {
  std::string out = "[";
  for (size_t i = 0; i < n; ++i) out += (i ? ", \"" : "\"") + item + "\"";
  return out + "]";
}

TEST(AgentConfig, EveryValueIsBoundedAndRefusedNamingTheKeyAndTheLimit) {
  const std::string path_4096 = "/" + std::string(4095, 'p');
  const Bound bounds[] = {
      {"tags = " + list_of(32, "t"), "tags = " + list_of(33, "t"),
       "agent.toml:4: [identity] tags has 33 items; the limit is 32"},
      {"[plugins]\nmax_concurrent = 256", "[plugins]\nmax_concurrent = 257",
       "agent.toml:5: [plugins] max_concurrent 257 is out of range: use 1 to 256"},
      {"[plugins]\nmax_queued = 100000", "[plugins]\nmax_queued = 100001",
       "agent.toml:5: [plugins] max_queued 100001 is out of range: use 1 to 100000"},
      {"[plugins]\nmax_queued = 1", "[plugins]\nmax_queued = 0",
       "agent.toml:5: [plugins] max_queued 0 is out of range: use 1 to 100000"},
      {"[plugins]\nmax_concurrent_per_plugin = 256", "[plugins]\nmax_concurrent_per_plugin = 257",
       "agent.toml:5: [plugins] max_concurrent_per_plugin 257 is out of range: use 0 to 256"},
      {"[plugins]\nspare_runners = 64", "[plugins]\nspare_runners = 65",
       "agent.toml:5: [plugins] spare_runners 65 is out of range: use 0 to 64"},
      {"[plugins]\nopen_files_limit = 16", "[plugins]\nopen_files_limit = 15",
       "agent.toml:5: [plugins] open_files_limit 15 is out of range: use 16 to 1048576"},
      {"[plugins]\nmemory_limit = \"16MiB\"", "[plugins]\nmemory_limit = \"16777215\"",
       "agent.toml:5: [plugins] memory_limit 16777215 is out of range: use 16777216 to "
       "1099511627776 bytes (or 0 for none)"},
      {"[plugins]\nmemory_limit = \"1TiB\"", "[plugins]\nmemory_limit = \"1025GiB\"",
       "agent.toml:5: [plugins] memory_limit 1100585369600 is out of range: use 16777216 to "
       "1099511627776 bytes (or 0 for none)"},
      {"[plugins]\noutput_limit = \"256KiB\"", "[plugins]\noutput_limit = 262145",
       "agent.toml:5: [plugins] output_limit 262145 is out of range: use 0 to 262144 bytes"},
      {"[plugins]\ncpu_limit = \"1d\"", "[plugins]\ncpu_limit = 86401",
       "agent.toml:5: [plugins] cpu_limit 86401 is out of range: use 0 to 86400 s"},
      {"[plugins]\nkill_grace = \"5m\"", "[plugins]\nkill_grace = \"301s\"",
       "agent.toml:5: [plugins] kill_grace 301 is out of range: use 0 to 300 s"},
      {"[plugins]\ndir = \"" + path_4096 + "\"", "[plugins]\ndir = \"" + path_4096 + "p\"",
       "agent.toml:5: [plugins] dir is 4097 bytes; the limit is 4096"},
      {"[plugins]\nrunner = \"" + path_4096 + "\"", "[plugins]\nrunner = \"" + path_4096 + "p\"",
       "agent.toml:5: [plugins] runner is 4097 bytes; the limit is 4096"},
      {"[heartbeat]\ninterval_s = 3600", "[heartbeat]\ninterval_s = 3601",
       "agent.toml:5: [heartbeat] interval_s 3601 is out of range: use 1 to 3600"},
      {"[log]\nlevel = \"info\"", "[log]\nlevel = \"" + std::string(17, 'x') + "\"",
       "agent.toml:5: [log] level is 17 bytes; the limit is 16"},
      {"[nats]\nservers = " + list_of(32, "nats://n:4222"),
       "[nats]\nservers = " + list_of(33, "nats://n:4222"),
       "agent.toml:5: [nats] servers has 33 items; the limit is 32"},
      {"[metrics]\ntextfile_dir = \"" + path_4096 + "\"",
       "[metrics]\ntextfile_dir = \"" + path_4096 + "p\"",
       "agent.toml:5: [metrics] textfile_dir is 4097 bytes; the limit is 4096"},
  };
  for (const auto& bound : bounds) {
    const std::string identity = "[identity]\nhostname = \"a\"\nrole = \"r\"\n";
    auto inside = read(identity + bound.inside);
    EXPECT_TRUE(inside) << bound.inside.substr(0, 80) << ": " << inside.error().message;
    auto outside = read(identity + bound.outside);
    ASSERT_FALSE(outside) << bound.outside.substr(0, 80);
    EXPECT_EQ(outside.error().message, bound.refusal);
  }
}

TEST(AgentConfig, IdentityNamesAreBoundedLikeEverySubjectToken) {
  auto config = read("[identity]\nhostname = \"" + std::string(129, 'h') + "\"\nrole = \"r\"");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message,
            "agent.toml:2: hostname is 129 bytes; the limit is 128 (set [identity] hostname)");
  EXPECT_TRUE(read("[identity]\nhostname = \"" + std::string(128, 'h') + "\"\nrole = \"r\""));
}

TEST(AgentConfig, PluginSettingsAreBoundedLikeParams) {
  const std::string head = "[identity]\nrole = \"r\"\n[plugin.exec]\n";
  EXPECT_TRUE(read(head + "commands = " + list_of(1024, "/bin/true")));
  auto many = read(head + "commands = " + list_of(1025, "/bin/true"));
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().message,
            "agent.toml:4: [plugin.exec] commands has 1025 items; the limit is 1024");
  auto long_item = read(head + "commands = [\"/bin/true\", \"/" + std::string(4096, 'c') + "\"]");
  ASSERT_FALSE(long_item);
  EXPECT_EQ(long_item.error().message,
            "agent.toml:4: [plugin.exec] commands item 2 is 4097 bytes; the limit is 4096");
  auto long_value = read(head + "scripts_dir = \"/" + std::string(4096, 's') + "\"");
  ASSERT_FALSE(long_value);
  EXPECT_EQ(long_value.error().message,
            "agent.toml:4: [plugin.exec] scripts_dir is 4097 bytes; the limit is 4096");
}

TEST(AgentConfig, MaintenanceListsAreBounded) {
  const std::string head = "[identity]\nrole = \"r\"\n[maintenance]\n";
  EXPECT_TRUE(read(head + "windows = " + list_of(64, "Sun 01:00-05:00")));
  auto many = read(head + "windows = " + list_of(65, "Sun 01:00-05:00"));
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().message,
            "agent.toml:4: [maintenance] windows has 65 items; the limit is 64");
  auto long_zone = read(head + "timezone = \"" + std::string(129, 'z') + "\"");
  ASSERT_FALSE(long_zone);
  EXPECT_EQ(long_zone.error().message,
            "agent.toml:4: [maintenance] timezone is 129 bytes; the limit is 128");
}

}  // namespace
}  // namespace tend
