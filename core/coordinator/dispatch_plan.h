// Who a task is for and where to publish it. The coordinator publishes on the
// narrowest subjects that reach every node the target means; each agent checks
// the target itself, so a subject that reaches a few nodes too many is safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/subjects.h"
#include "core/coordinator/node_registry.h"
#include "schemas/task.pb.h"

namespace tend {

struct DispatchPlan {
  // Online nodes the target means, nodes it means that went silent recently
  // (see NodeRegistry::expected_nodes), and hosts the target names that are
  // not online: the summary reports those unreachable instead of forgetting
  // them. Sorted, no duplicates.
  std::vector<std::string> expected_hosts;
  // target.hosts: one task.host.<h> each; else roles: task.role.<r> each; else
  // tags: task.tag.<t> each (a node with two of the tags gets the task twice
  // and runs it once); else task.all.
  std::vector<std::string> subjects;
};

// `task.target()` must have passed TargetMatcher::validate.
DispatchPlan plan_dispatch(const tend::Task& task, const NodeRegistry& registry,
                           const Subjects& subjects, NodeRegistry::Clock::time_point now);

// The hosts expected to answer a task an operator published straight to
// `subject`: the nodes that subject reaches, narrowed by the task's target when
// it has one. A host subject counts its host even when it is not online (to be
// reported unreachable). Nothing when `subject` is not a task subject.
std::optional<std::vector<std::string>> expected_for_published_task(
    std::string_view subject, const tend::Task& task, const NodeRegistry& registry,
    const Subjects& subjects, NodeRegistry::Clock::time_point now);

}  // namespace tend
