// The registry knows a node is online from its heartbeats alone.
#include "core/coordinator/node_registry.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using namespace std::chrono_literals;
using Clock = NodeRegistry::Clock;

const Clock::time_point t0 = Clock::time_point(std::chrono::hours(24 * 365 * 50));

tend::Heartbeat heartbeat(const std::string& host, const std::string& role,
                          std::vector<std::string> tags = {}, uint32_t interval_s = 10) {
  tend::Heartbeat hb;
  hb.set_host(host);
  hb.set_role(role);
  for (auto& t : tags) hb.add_tags(t);
  hb.set_interval_s(interval_s);
  return hb;
}

TEST(NodeRegistry, ANodeIsOnlineForThreeOfItsIntervalsAfterAHeartbeat) {
  NodeRegistry registry;
  registry.heard(heartbeat("web-01", "web", {}, 10), t0);
  EXPECT_TRUE(registry.is_online("web-01", t0));
  EXPECT_TRUE(registry.is_online("web-01", t0 + 29s));
  EXPECT_FALSE(registry.is_online("web-01", t0 + 30s));
}

TEST(NodeRegistry, ANewHeartbeatBringsANodeBackOnline) {
  NodeRegistry registry;
  registry.heard(heartbeat("web-01", "web"), t0);
  ASSERT_FALSE(registry.is_online("web-01", t0 + 60s));
  registry.heard(heartbeat("web-01", "web"), t0 + 60s);
  EXPECT_TRUE(registry.is_online("web-01", t0 + 60s));
}

TEST(NodeRegistry, AHeartbeatWithoutIntervalCountsAsTheDefault) {
  NodeRegistry registry;
  registry.heard(heartbeat("web-01", "web", {}, 0), t0);
  EXPECT_TRUE(registry.is_online("web-01", t0 + 3 * NodeRegistry::kDefaultInterval - 1s));
  EXPECT_FALSE(registry.is_online("web-01", t0 + 3 * NodeRegistry::kDefaultInterval));
}

TEST(NodeRegistry, CountsOnlineNodesAndTheOfflineOnesStillExpected) {
  NodeRegistry registry;
  EXPECT_EQ(registry.counts(t0).online, 0u);
  registry.heard(heartbeat("web-01", "web"), t0);
  registry.heard(heartbeat("web-02", "web"), t0);
  registry.heard(heartbeat("db-01", "db"), t0 + 25h);

  auto now = registry.counts(t0 + 25h);  // the web nodes went silent a day ago
  EXPECT_EQ(now.online, 1u);
  EXPECT_EQ(now.offline, 0u);  // lost for more than a day: decommissioned
  registry.heard(heartbeat("web-01", "web"), t0 + 25h);
  auto later = registry.counts(t0 + 25h + 40s);
  EXPECT_EQ(later.online, 0u);
  EXPECT_EQ(later.offline, 2u);
}

TEST(NodeRegistry, AnUnknownNodeIsNotOnline) {
  NodeRegistry registry;
  EXPECT_FALSE(registry.is_online("ghost", t0));
}

TEST(NodeRegistry, NodesLostRecentlyAreStillExpectedSoTheirSilenceIsReported) {
  NodeRegistry registry;
  registry.heard(heartbeat("web-02", "web", {"prod"}), t0);
  registry.heard(heartbeat("web-01", "web", {"prod"}), t0 + 20s);
  registry.heard(heartbeat("db-01", "db", {"prod"}), t0 + 20s);
  tend::Target web;
  web.add_roles("web");
  EXPECT_FALSE(registry.is_online("web-02", t0 + 35s));
  EXPECT_EQ(registry.expected_hosts_matching(web, t0 + 35s),
            (std::vector<std::string>{"web-01", "web-02"}));
  tend::Target prod;
  prod.add_tags("prod");
  EXPECT_EQ(registry.expected_hosts_matching(prod, t0 + 20s),
            (std::vector<std::string>{"db-01", "web-01", "web-02"}));
}

TEST(NodeRegistry, ANodeSilentForADayIsNoLongerExpected) {
  NodeRegistry registry;
  registry.heard(heartbeat("web-02", "web"), t0);
  registry.heard(heartbeat("web-01", "web"), t0 + NodeRegistry::kStillExpectedAfterLoss);
  tend::Target web;
  web.add_roles("web");
  EXPECT_EQ(registry.expected_hosts_matching(web, t0 + NodeRegistry::kStillExpectedAfterLoss),
            std::vector<std::string>{"web-01"});
}

TEST(NodeRegistry, TheNodeListShowsEveryNodeWithFirstAndLastSeen) {
  NodeRegistry registry;
  registry.heard(heartbeat("web-01", "web", {"prod"}), t0);
  registry.heard(heartbeat("db-01", "db"), t0);
  registry.heard(heartbeat("web-01", "web", {"prod", "canary"}), t0 + 40s);

  auto list = registry.node_list(t0 + 40s);
  ASSERT_EQ(list.nodes_size(), 2);
  const auto& db = list.nodes(0);
  const auto& web = list.nodes(1);
  EXPECT_EQ(db.last_heartbeat().host(), "db-01");
  EXPECT_FALSE(db.online());
  EXPECT_EQ(web.last_heartbeat().host(), "web-01");
  EXPECT_TRUE(web.online());
  EXPECT_EQ(web.last_heartbeat().tags_size(), 2);  // the latest heartbeat is kept
  EXPECT_EQ(web.last_seen().seconds() - web.first_seen().seconds(), 40);
}

}  // namespace
}  // namespace tend
