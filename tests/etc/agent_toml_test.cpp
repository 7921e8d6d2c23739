// etc/agent.toml loads as it is: every key in it is one tend knows, since an
// unknown one refuses the agent's start.
#include <gtest/gtest.h>

#include <string>

#include "core/agent/config/agent_config.h"

namespace tend {
namespace {

TEST(EtcAgentToml, TheExampleLoads) {
  auto config = load_agent_config(std::string(TEND_SOURCE_DIR) + "/etc/agent.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->identity.host, "web-01");
  EXPECT_EQ(config->identity.role, "web-server");
}

}  // namespace
}  // namespace tend
