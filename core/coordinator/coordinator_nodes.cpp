// The node registry from heartbeats, tend.nodes, the hosts a target means,
// and the control messages operators send to agents: on the event loop.
#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <nlohmann/json.hpp>

#include "core/common/input_bounds.h"
#include "core/coordinator/coordinator.h"

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
      store::AuditEntry entry;
      entry.at_us = google::protobuf::util::TimeUtil::TimestampToMicroseconds(hb.reloaded_at());
      entry.actor = hb.host();
      entry.action = "reload";
      entry.target = hb.host();
      entry.reason = hb.reloaded_by();
      entry.detail = nlohmann::json({{"outcome", hb.reload_outcome()}})
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
  store::AuditEntry entry;
  entry.actor = c.by().empty() ? "unknown" : c.by();
  entry.action = "control";
  entry.target = std::string(Subjects::last_token(event.subject));
  entry.reason = c.reason();
  entry.detail = fmt::format(R"({{"action":"{}"}})", c.action());
  store_.audit(std::move(entry));
}

}  // namespace tend
