#include "core/tendctl/node_table.h"

#include <gtest/gtest.h>

namespace tend::tendctl {
namespace {

constexpr int64_t kNow = 1'700'000'000;

tend::Node node(std::string host, std::string role, std::vector<std::string> tags,
                std::vector<std::string> plugins, int64_t seen_ago_s, bool online) {
  tend::Node n;
  auto* hb = n.mutable_last_heartbeat();
  hb->set_host(std::move(host));
  hb->set_role(std::move(role));
  for (auto& t : tags) hb->add_tags(std::move(t));
  for (auto& p : plugins) hb->add_plugins()->set_name(std::move(p));
  n.mutable_last_seen()->set_seconds(kNow - seen_ago_s);
  n.set_online(online);
  return n;
}

TEST(NodeTable, OneRowPerNodeSortedByHostWithAFooter) {
  tend::NodeList nodes;
  *nodes.add_nodes() =
      node("web-02", "web-server", {"production", "nginx"}, {"disk-cleanup", "noop"}, 3, true);
  *nodes.add_nodes() = node("db-01", "database", {}, {"noop"}, 400, false);
  *nodes.add_nodes() = node("web-01", "web-server", {"production"}, {}, 0, true);
  EXPECT_EQ(render_nodes(nodes, kNow, false),
            "HOST    ROLE        TAGS              PLUGINS  DISK  MEM  LOAD  FAILED-UNITS  "
            "LAST-HEARTBEAT  ONLINE\n"
            "db-01   database    -                 1        -     -    -     -             "
            "6m ago          no\n"
            "web-01  web-server  production        -        -     -    -     -             "
            "0s ago          yes\n"
            "web-02  web-server  production,nginx  2        -     -    -     -             "
            "3s ago          yes\n"
            "3 nodes, 2 online\n");
}

TEST(NodeTable, HealthShowsTheFullestDiskMemoryLoadAndFailedUnits) {
  tend::NodeList nodes;
  *nodes.add_nodes() = node("web-01", "web-server", {}, {"noop"}, 2, true);
  auto* health = nodes.mutable_nodes(0)->mutable_last_heartbeat()->mutable_health();
  auto* root = health->add_mounts();
  root->set_mount("/");
  root->set_used_percent(41);
  auto* var = health->add_mounts();
  var->set_mount("/var");
  var->set_used_percent(93);
  health->set_mem_total_bytes(8ULL << 30);
  health->set_mem_used_percent(71);
  health->set_load1(0.42);
  health->set_cpus(2);
  health->set_systemd_running(true);
  health->add_failed_units("nginx.service");
  EXPECT_EQ(render_nodes(nodes, kNow, false),
            "HOST    ROLE        TAGS  PLUGINS  DISK      MEM  LOAD  FAILED-UNITS       "
            "LAST-HEARTBEAT  ONLINE\n"
            "web-01  web-server  -     1        93% /var  71%  0.42  1 (nginx.service)  "
            "2s ago          yes\n"
            "1 node, 1 online\n");
}

TEST(NodeTable, APausedNodeAndOneNeverSeenSaySo) {
  tend::NodeList nodes;
  *nodes.add_nodes() = node("web-01", "web-server", {}, {"noop"}, 5, true);
  nodes.mutable_nodes(0)->mutable_last_heartbeat()->set_paused(true);
  nodes.mutable_nodes(0)->clear_last_seen();
  EXPECT_EQ(render_nodes(nodes, kNow, false),
            "HOST    ROLE        TAGS  PLUGINS  DISK  MEM  LOAD  FAILED-UNITS  LAST-HEARTBEAT  "
            "ONLINE\n"
            "web-01  web-server  -     1        -     -    -     -             never           "
            "yes (paused)\n"
            "1 node, 1 online\n");
}

TEST(NodeTable, AnEmptyRegistryIsJustTheFooter) {
  EXPECT_EQ(render_nodes(tend::NodeList(), kNow, false),
            "HOST  ROLE  TAGS  PLUGINS  DISK  MEM  LOAD  FAILED-UNITS  LAST-HEARTBEAT  ONLINE\n"
            "0 nodes, 0 online\n");
}

}  // namespace
}  // namespace tend::tendctl
