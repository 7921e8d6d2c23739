#include "core/coordinator/dispatch_plan.h"

#include <algorithm>

namespace tend {
namespace {

bool has_target(const tend::Target& t) {
  return t.all() || !t.hosts().empty() || !t.roles().empty() || !t.tags().empty();
}

void sort_unique(std::vector<std::string>& names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
}

template <typename Names, typename MakeSubject>
std::vector<std::string> subjects_for(const Names& names, MakeSubject make) {
  std::vector<std::string> subjects;
  for (const auto& name : names) subjects.push_back(make(name));
  sort_unique(subjects);
  return subjects;
}

std::vector<std::string> narrowest_subjects(const tend::Target& target, const Subjects& subjects) {
  if (!target.hosts().empty()) {
    return subjects_for(target.hosts(), [&](const auto& h) { return subjects.task_host(h); });
  }
  if (!target.roles().empty()) {
    return subjects_for(target.roles(), [&](const auto& r) { return subjects.task_role(r); });
  }
  if (!target.tags().empty()) {
    return subjects_for(target.tags(), [&](const auto& t) { return subjects.task_tag(t); });
  }
  return {subjects.task_all()};
}

// The expected nodes (see NodeRegistry) one task subject reaches; nullopt for a subject that is
// not a task subject at all.
std::optional<std::vector<NodeIdentity>> nodes_reached(std::string_view subject,
                                                       const NodeRegistry& registry,
                                                       const Subjects& subjects,
                                                       NodeRegistry::Clock::time_point now) {
  std::string name(Subjects::last_token(subject));
  auto online = registry.expected_nodes(now);
  std::vector<NodeIdentity> reached;
  if (subject == subjects.task_all()) return online;
  if (subject == subjects.task_host(name)) {
    std::copy_if(online.begin(), online.end(), std::back_inserter(reached),
                 [&](const NodeIdentity& n) { return n.host == name; });
  } else if (subject == subjects.task_role(name)) {
    std::copy_if(online.begin(), online.end(), std::back_inserter(reached),
                 [&](const NodeIdentity& n) { return n.role == name; });
  } else if (subject == subjects.task_tag(name)) {
    std::copy_if(online.begin(), online.end(), std::back_inserter(reached),
                 [&](const NodeIdentity& n) {
                   return std::find(n.tags.begin(), n.tags.end(), name) != n.tags.end();
                 });
  } else {
    return std::nullopt;
  }
  return reached;
}

}  // namespace

DispatchPlan plan_dispatch(const tend::Task& task, const NodeRegistry& registry,
                           const Subjects& subjects, NodeRegistry::Clock::time_point now) {
  DispatchPlan plan;
  plan.expected_hosts = registry.expected_hosts_matching(task.target(), now);
  for (const auto& host : task.target().hosts()) {
    if (!registry.is_online(host, now)) plan.expected_hosts.push_back(host);
  }
  sort_unique(plan.expected_hosts);
  plan.subjects = narrowest_subjects(task.target(), subjects);
  return plan;
}

std::optional<std::vector<std::string>> expected_for_published_task(
    std::string_view subject, const tend::Task& task, const NodeRegistry& registry,
    const Subjects& subjects, NodeRegistry::Clock::time_point now) {
  auto reached = nodes_reached(subject, registry, subjects, now);
  if (!reached) return std::nullopt;
  const tend::Target& target = task.target();
  TargetMatcher matcher(target);
  std::vector<std::string> expected;
  for (const auto& node : *reached) {
    if (!has_target(target) || matcher.matches(node)) expected.push_back(node.host);
  }
  // A host subject nobody listens on: its host is missing, unless the target
  // names other hosts and so would have it ignore the task anyway.
  std::string host(Subjects::last_token(subject));
  if (subject == subjects.task_host(host) && !registry.is_online(host, now)) {
    const auto& named = target.hosts();
    if (named.empty() || std::find(named.begin(), named.end(), host) != named.end()) {
      expected.push_back(host);
    }
  }
  sort_unique(expected);
  return expected;
}

}  // namespace tend
