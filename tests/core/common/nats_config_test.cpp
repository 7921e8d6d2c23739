#include "core/common/nats_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace tend {
namespace {

TEST(NatsConfig, DefaultsWhenTheSectionIsAbsent) {
  auto config = read_nats_config(toml::parse(""));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->servers, std::vector<std::string>{"nats://127.0.0.1:4222"});
  EXPECT_EQ(config->subject_prefix, "tend");
}

TEST(NatsConfig, ReadsServersAndPrefix) {
  auto config = read_nats_config(toml::parse(R"(
    [nats]
    servers = ["nats://a:4222", "nats://b:4222"]
    subject_prefix = "acme"
  )"));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->servers.size(), 2u);
  EXPECT_EQ(config->subject_prefix, "acme");
}

TEST(NatsConfig, RefusesAPrefixThatWouldBreakSubjects) {
  auto config = read_nats_config(toml::parse("[nats]\nsubject_prefix = \"a.b\""));
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("subject_prefix 'a.b'"), std::string::npos);
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
