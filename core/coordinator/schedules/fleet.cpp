#include "core/coordinator/schedules/fleet.h"

#include <spdlog/spdlog.h>

#include "schemas/heartbeat.pb.h"

namespace tend {

std::vector<std::string> DispatcherFleet::hosts(const tend::Target& target) {
  return dispatcher_.expected_hosts(target);
}

std::map<std::string, std::string> DispatcherFleet::roles() {
  std::map<std::string, std::string> roles;
  auto reply = conn_.request_raw(subjects_.nodes(), "", std::chrono::seconds(2));
  tend::NodeList nodes;
  if (!reply || !reply->decode(nodes)) {
    spdlog::warn("schedules: roles unknown ({}): the cap per role treats every host alike",
                 reply ? "unreadable tend.nodes answer" : reply.error().message);
    return roles;
  }
  for (const auto& node : nodes.nodes()) {
    roles[node.last_heartbeat().host()] = node.last_heartbeat().role();
  }
  return roles;
}

void DispatcherFleet::submit(tend::Task task, std::function<void(const tend::Summary&)> done) {
  dispatcher_.submit_internal(std::move(task), TaskOrigin::kSchedule, std::move(done));
}

}  // namespace tend
