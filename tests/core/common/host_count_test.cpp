#include "core/common/host_count.h"

#include <gtest/gtest.h>

#include "core/common/random_subset.h"

namespace tend {
namespace {

TEST(HostCount, ANumberOrAShareOfTheHosts) {
  EXPECT_EQ(HostCount::parse("5")->of(50), 5u);
  EXPECT_EQ(HostCount::parse("5")->of(3), 3u);
  EXPECT_EQ(HostCount::parse("10%")->of(50), 5u);
  EXPECT_EQ(HostCount::parse("10%")->of(5), 1u) << "a share rounds up, never to nothing";
  EXPECT_EQ(HostCount::parse("100%")->of(7), 7u);
  EXPECT_EQ(HostCount::parse("10%")->text(), "10%");
}

TEST(HostCount, NonsenseIsRefusedSayingWhatWouldDo) {
  for (const char* bad : {"", "0", "0%", "101%", "-3", "5x", "%"}) {
    auto count = HostCount::parse(bad);
    ASSERT_FALSE(count) << bad;
    EXPECT_NE(count.error().message.find("e.g. 10%"), std::string::npos);
  }
}

TEST(RandomSubset, TheSameSeedChoosesTheSameHostsWhateverTheirOrder) {
  std::vector<std::string> hosts;
  for (int i = 1; i <= 50; ++i) hosts.push_back("web-" + std::to_string(100 + i));
  auto first = random_subset(hosts, 5, 42);
  std::reverse(hosts.begin(), hosts.end());
  EXPECT_EQ(random_subset(hosts, 5, 42), first);
  EXPECT_EQ(first.size(), 5u);
  EXPECT_TRUE(std::is_sorted(first.begin(), first.end()));
  EXPECT_NE(random_subset(hosts, 5, 43), first) << "another seed, another subset";
  EXPECT_EQ(random_subset(hosts, 80, 1).size(), 50u);
}

}  // namespace
}  // namespace tend
