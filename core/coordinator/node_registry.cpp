#include "core/coordinator/node_registry.h"

#include "core/common/wall_time.h"

namespace tend {
void NodeRegistry::heard(const tend::Heartbeat& heartbeat, Clock::time_point now) {
  if (heartbeat.host().empty()) return;
  auto [it, is_new] = nodes_.try_emplace(heartbeat.host());
  Entry& entry = it->second;
  if (is_new) entry.first_seen = now;
  entry.last_seen = now;
  entry.last_heartbeat = heartbeat;
}

bool NodeRegistry::online(const Entry& entry, Clock::time_point now) {
  std::chrono::seconds interval(entry.last_heartbeat.interval_s());
  if (interval.count() == 0) interval = kDefaultInterval;
  return now - entry.last_seen < kMissedHeartbeatsBeforeOffline * interval;
}

NodeIdentity NodeRegistry::identity(const tend::Heartbeat& heartbeat) {
  return NodeIdentity{heartbeat.host(), heartbeat.role(),
                      std::vector<std::string>(heartbeat.tags().begin(), heartbeat.tags().end())};
}

void NodeRegistry::restore(const tend::Heartbeat& heartbeat, Clock::time_point first_seen,
                           Clock::time_point last_seen) {
  if (heartbeat.host().empty() || nodes_.contains(heartbeat.host())) return;
  nodes_[heartbeat.host()] = Entry{heartbeat, first_seen, last_seen};
}

const tend::Heartbeat* NodeRegistry::last_heartbeat(const std::string& host) const {
  auto it = nodes_.find(host);
  return it == nodes_.end() ? nullptr : &it->second.last_heartbeat;
}

bool NodeRegistry::is_online(const std::string& host, Clock::time_point now) const {
  auto it = nodes_.find(host);
  return it != nodes_.end() && online(it->second, now);
}

std::vector<NodeIdentity> NodeRegistry::online_nodes(Clock::time_point now) const {
  std::vector<NodeIdentity> nodes;
  for (const auto& [host, entry] : nodes_) {
    if (online(entry, now)) nodes.push_back(identity(entry.last_heartbeat));
  }
  return nodes;
}

std::vector<NodeIdentity> NodeRegistry::expected_nodes(Clock::time_point now) const {
  std::vector<NodeIdentity> nodes;
  for (const auto& [host, entry] : nodes_) {
    if (online(entry, now) || now - entry.last_seen < kStillExpectedAfterLoss) {
      nodes.push_back(identity(entry.last_heartbeat));
    }
  }
  return nodes;
}

std::vector<std::string> NodeRegistry::expected_hosts_matching(const tend::Target& target,
                                                               Clock::time_point now) const {
  TargetMatcher matcher(target);
  std::vector<std::string> hosts;
  for (const auto& node : expected_nodes(now)) {
    if (matcher.matches(node)) hosts.push_back(node.host);
  }
  return hosts;
}

NodeRegistry::Counts NodeRegistry::counts(Clock::time_point now) const {
  Counts counts;
  for (const auto& [host, entry] : nodes_) {
    if (online(entry, now)) {
      ++counts.online;
    } else if (now - entry.last_seen < kStillExpectedAfterLoss) {
      ++counts.offline;
    }
  }
  return counts;
}

tend::NodeList NodeRegistry::node_list(Clock::time_point now) const {
  tend::NodeList list;
  for (const auto& [host, entry] : nodes_) {
    tend::Node* node = list.add_nodes();
    *node->mutable_last_heartbeat() = entry.last_heartbeat;
    node->set_online(online(entry, now));
    *node->mutable_first_seen() = to_timestamp(entry.first_seen);
    *node->mutable_last_seen() = to_timestamp(entry.last_seen);
  }
  return list;
}

}  // namespace tend
