// The node registry from heartbeats, tend.nodes, the hosts a target means,
// and the control messages operators send to agents: on the event loop.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/common/input_bounds.h"
#include "core/common/wall_time.h"
#include "core/coordinator/coordinator.h"
#include "core/store/audit_entry.h"

namespace tend {

void Coordinator::handle(HeartbeatReceived& event) {
  const auto& hb = event.heartbeat;
  if (registry_.last_heartbeat(hb.host()) == nullptr) {
    if (auto room =
            check_room("coordinator", registry_.size(), "nodes known", config_.limits.max_nodes);
        !room) {
      metrics_.refused("nodes");
      table_full_.warn(
          fmt::format("heartbeat of new node {} ignored: {}", hb.host(), room.error().message));
      return;
    }
  }
  if (hb.has_reloaded_at()) {
    const tend::Heartbeat* before = registry_.last_heartbeat(hb.host());
    // Only a change seen against an earlier heartbeat: a coordinator that
    // just started cannot tell a new reload from one it already recorded.
    if (before != nullptr && (before->reloaded_at().seconds() != hb.reloaded_at().seconds() ||
                              before->reloaded_at().nanos() != hb.reloaded_at().nanos())) {
      auto entry = store::audit_entry(hb.host(), "reload", hb.host(), hb.reloaded_by(),
                                      {{"outcome", hb.reload_outcome()}});
      entry.at_us = micros(hb.reloaded_at());
      store_.audit(std::move(entry));
    }
  }
  registry_.heard(event.heartbeat, NodeRegistry::Clock::now());
  store_.node_heard(event.heartbeat);
}

void Coordinator::handle(NodesRequested& event) {
  replier_.answer(event.from, registry_.node_list(NodeRegistry::Clock::now()));
}

void Coordinator::handle(HostsQuery& event) {
  event.answer->set_value(
      registry_.expected_hosts_matching(event.target, NodeRegistry::Clock::now()));
}

void Coordinator::handle(ControlSeen& event) {
  for (const auto& observer : control_observers_) observer(event.subject, event.control);
  const auto& c = event.control;
  store_.audit(store::audit_entry(c.by(), "control",
                                  std::string(Subjects::last_token(event.subject)), c.reason(),
                                  {{"action", c.action()}}));
}

}  // namespace tend
