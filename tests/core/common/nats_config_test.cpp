#include "core/common/nats_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace tend {
namespace {

TEST(NatsConfig, DefaultsWhenTheSectionIsAbsent) {
  auto config = read_nats_config(toml::parse(""), "agent.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->servers, std::vector<std::string>{"nats://127.0.0.1:4222"});
  EXPECT_EQ(config->subject_prefix, "tend");
}

TEST(NatsConfig, ReadsServersAndPrefix) {
  auto config = read_nats_config(toml::parse(R"(
    [nats]
    servers = ["nats://a:4222", "nats://b:4222"]
    subject_prefix = "acme"
  )"),
                                 "agent.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->servers.size(), 2u);
  EXPECT_EQ(config->subject_prefix, "acme");
}

TEST(NatsConfig, RefusesAPrefixThatWouldBreakSubjects) {
  auto config = read_nats_config(toml::parse("[nats]\nsubject_prefix = \"a.b\""), "agent.toml");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("subject_prefix 'a.b'"), std::string::npos);
}

// "[nats]\nservers = [...]" with `count` URLs of `bytes` bytes each.
std::string servers_toml(size_t count, size_t bytes) {
  std::string url = "nats://" + std::string(bytes - 12, 'h') + ":4222";
  std::string toml = "[nats]\nservers = [";
  for (size_t i = 0; i < count; ++i) toml += (i ? ", \"" : "\"") + url + "\"";
  return toml + "]\n";
}

TEST(NatsConfig, TheServerListAndEachUrlAreBounded) {
  EXPECT_TRUE(read_nats_config(toml::parse(servers_toml(32, 1024)), "agent.toml"));
  auto many = read_nats_config(toml::parse(servers_toml(33, 30)), "agent.toml");
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().message, "agent.toml:2: [nats] servers has 33 items; the limit is 32");
  auto long_url = read_nats_config(toml::parse(servers_toml(2, 1025)), "agent.toml");
  ASSERT_FALSE(long_url);
  EXPECT_EQ(long_url.error().message,
            "agent.toml:2: [nats] servers item 1 is 1025 bytes; the limit is 1024");
}

TEST(NatsConfig, ABadTomlFileNamesTheLine) {
  std::string path = ::testing::TempDir() + "bad.toml";
  std::ofstream(path) << "[nats]\nservers = [\"x\"\n";
  auto doc = parse_toml_file(path);
  ASSERT_FALSE(doc);
  EXPECT_NE(doc.error().message.find(path + ":"), std::string::npos) << doc.error().message;
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tend
