// Decides whether a node is the one a task's target means. Both the agent
// (which checks every task itself, whatever subject it came on) and the
// coordinator (which computes the expected set) use this one rule.
#pragma once

#include <string>
#include <vector>

#include "bus/expected.h"
#include "schemas/task.pb.h"

namespace tend {

struct NodeIdentity {
  std::string host;
  std::string role;
  std::vector<std::string> tags;
};

class TargetMatcher {
 public:
  explicit TargetMatcher(tend::Target target) : target_(std::move(target)) {}

  // Within one list any entry matches (OR); across the non-empty lists all must
  // match (AND); `all` matches everyone. An empty target matches no one.
  bool matches(const NodeIdentity& node) const;

  // An empty target, or a name that could not be in a subject, is refused.
  static Expected<void> validate(const tend::Target& target);

  // "hosts=web-01,web-02 roles=db" — for messages and logs.
  static std::string describe(const tend::Target& target);

 private:
  tend::Target target_;
};

}  // namespace tend
