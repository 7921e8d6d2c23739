// Start-up refusals: a tend-agent or tend-coordinator whose config file is
// wrong exits at once, non-zero, saying where, before it connects to anything.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "tests/integration/programs.h"
#include "tests/support/child_process.h"
#include "tests/support/loopback_port.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;

// agent.toml with `hostname`, and `plugins_extra` at the end of [plugins]
// (line 10 on), into `dir`.
std::filesystem::path write_agent_toml(const TempDir& dir, std::string_view hostname,
                                       std::string_view plugins_extra = "") {
  return dir.write("agent.toml", fmt::format(R"([identity]
hostname = "{}"
role = "web-server"

[nats]
servers = ["nats://127.0.0.1:{}"]

[plugins]
dir = "{}"
{})",
                                             hostname, free_loopback_port(),
                                             built_programs().plugin_dir.string(), plugins_extra));
}

Expected<Completed> run_agent(const TempDir& dir, const std::filesystem::path& config) {
  return run_to_completion({built_programs().agent.string(), "--config", config.string()},
                           dir.path(), "agent", 5s);
}

TEST(AgentStartup, AnInvalidHostnameIsRefusedAtOnce) {
  TempDir dir;
  auto config = write_agent_toml(dir, "web.01");

  auto agent = run_agent(dir, config);
  ASSERT_TRUE(agent) << agent.error().message;
  EXPECT_EQ(agent->exit_code, 1);
  EXPECT_THAT(agent->err, AllOf(HasSubstr("hostname"), HasSubstr("web.01")));
}

// A typo in agent.toml used to be ignored: now the agent refuses to start,
// saying where.
TEST(AgentStartup, AnUnknownKeyIsRefusedAtOnce) {
  TempDir dir;
  auto config = write_agent_toml(dir, "web-01", "max_concurent = 8\n");

  auto agent = run_agent(dir, config);
  ASSERT_TRUE(agent) << agent.error().message;
  EXPECT_EQ(agent->exit_code, 1);
  EXPECT_THAT(agent->err, HasSubstr(config.string() +
                                    ":10: unknown key 'max_concurent' in [plugins] (known: "));
}

TEST(CoordinatorStartup, AnUnknownKeyIsRefusedAtOnce) {
  TempDir dir;
  auto config = dir.write("coordinator.toml",
                          fmt::format("[nats]\nservers = [\"nats://127.0.0.1:{}\"]\n[tasks]\n"
                                      "timeout_s = 10\n",
                                      free_loopback_port()));

  auto coordinator =
      run_to_completion({built_programs().coordinator.string(), "--config", config.string()},
                        dir.path(), "coordinator", 5s);
  ASSERT_TRUE(coordinator) << coordinator.error().message;
  EXPECT_EQ(coordinator->exit_code, 1);
  EXPECT_THAT(coordinator->err,
              HasSubstr(config.string() + ":4: unknown key 'timeout_s' in [tasks] (known: "
                                          "default_timeout_s, grace_s, ack_timeout_ms)"));
}

}  // namespace
}  // namespace tend::testing
