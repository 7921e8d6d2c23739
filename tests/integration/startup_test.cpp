// Start-up refusals: a tend-agent or tend-coordinator whose config file is
// wrong exits at once, non-zero, saying where, before it connects to anything.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/integration/programs.h"
#include "tests/support/child_process.h"
#include "tests/support/loopback_port.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(AgentStartup, AnInvalidHostnameIsRefusedAtOnce) {
  TempDir dir;
  auto config = dir.write("agent.toml",
                          fmt::format(R"([identity]
hostname = "web.01"
role = "web-server"

[nats]
servers = ["nats://127.0.0.1:{}"]

[plugins]
dir = "{}"
)",
                                      free_loopback_port(), built_programs().plugin_dir.string()));

  auto agent = run_to_completion({built_programs().agent.string(), "--config", config.string()},
                                 dir.path(), "agent", 5s);
  ASSERT_TRUE(agent) << agent.error().message;
  EXPECT_EQ(agent->exit_code, 1);
  EXPECT_THAT(agent->err, AllOf(HasSubstr("hostname"), HasSubstr("web.01")));
}

// A typo in agent.toml used to be ignored: now the agent refuses to start,
// saying where.
TEST(AgentStartup, AnUnknownKeyIsRefusedAtOnce) {
  TempDir dir;
  auto config = dir.write("agent.toml",
                          fmt::format(R"([identity]
hostname = "web-01"
role = "web-server"

[nats]
servers = ["nats://127.0.0.1:{}"]

[plugins]
dir = "{}"
max_concurent = 8
)",
                                      free_loopback_port(), built_programs().plugin_dir.string()));

  auto agent = run_to_completion({built_programs().agent.string(), "--config", config.string()},
                                 dir.path(), "agent", 5s);
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
