// Which nodes exist and which are online, as their heartbeats tell. A node is
// online while its last heartbeat is younger than three of its own intervals,
// so one lost heartbeat does not take it off the expected list.
//
// Not thread-safe: the coordinator's event loop owns it. Time is passed in, so
// tests need no sleeping.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/common/target_matcher.h"
#include "schemas/heartbeat.pb.h"

namespace tend {

class NodeRegistry {
 public:
  // Wall-clock time: first and last seen are shown to operators.
  using Clock = std::chrono::system_clock;

  // Heartbeats from agents that do not say their interval count as this.
  static constexpr std::chrono::seconds kDefaultInterval{10};
  static constexpr int kMissedHeartbeatsBeforeOffline = 3;
  // A node that stopped heartbeating is still expected to answer tasks for
  // this long, so a summary says "web-02 unreachable" instead of quietly
  // covering the survivors. After that it is taken as decommissioned.
  static constexpr std::chrono::hours kStillExpectedAfterLoss{24};

  // Records a heartbeat received at `now`. One without a host is ignored.
  void heard(const tend::Heartbeat& heartbeat, Clock::time_point now);

  // A node as the store last saw it (at start, before any heartbeat). A node
  // heard since is left as it is.
  void restore(const tend::Heartbeat& heartbeat, Clock::time_point first_seen,
               Clock::time_point last_seen);

  bool is_online(const std::string& host, Clock::time_point now) const;

  // The last heartbeat heard from `host`, or nullptr.
  const tend::Heartbeat* last_heartbeat(const std::string& host) const;

  // Online nodes, sorted by host.
  std::vector<NodeIdentity> online_nodes(Clock::time_point now) const;

  // Online nodes, plus nodes lost less than kStillExpectedAfterLoss ago.
  std::vector<NodeIdentity> expected_nodes(Clock::time_point now) const;

  // The expected nodes the target means, sorted by host.
  std::vector<std::string> expected_hosts_matching(const tend::Target& target,
                                                   Clock::time_point now) const;

  // Every node ever heard from, online or not, sorted by host.
  tend::NodeList node_list(Clock::time_point now) const;

  // How many nodes are online, and how many are offline but still expected
  // (lost less than kStillExpectedAfterLoss ago): the ones that matter to
  // an operator. Nodes lost longer ago count as decommissioned, in neither.
  struct Counts {
    size_t online = 0;
    size_t offline = 0;
  };
  Counts counts(Clock::time_point now) const;

  // Every node it knows, online or not.
  size_t size() const { return nodes_.size(); }

 private:
  struct Entry {
    tend::Heartbeat last_heartbeat;
    Clock::time_point first_seen;
    Clock::time_point last_seen;
  };

  static bool online(const Entry& entry, Clock::time_point now);
  static NodeIdentity identity(const tend::Heartbeat& heartbeat);

  std::map<std::string, Entry> nodes_;
};

}  // namespace tend
