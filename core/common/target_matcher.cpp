#include "core/common/target_matcher.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "bus/names.h"

namespace tend {
namespace {

template <typename List>
bool contains(const List& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool is_empty(const tend::Target& t) {
  return !t.all() && t.hosts().empty() && t.roles().empty() && t.tags().empty();
}

}  // namespace

bool TargetMatcher::matches(const NodeIdentity& node) const {
  if (is_empty(target_)) return false;
  if (!target_.hosts().empty() && !contains(target_.hosts(), node.host)) return false;
  if (!target_.roles().empty() && !contains(target_.roles(), node.role)) return false;
  if (!target_.tags().empty()) {
    bool any = std::any_of(node.tags.begin(), node.tags.end(),
                           [&](const std::string& tag) { return contains(target_.tags(), tag); });
    if (!any) return false;
  }
  return true;
}

Expected<void> TargetMatcher::validate(const tend::Target& target) {
  if (is_empty(target)) {
    return make_error("target is empty: give hosts, roles or tags, or \"all\": true");
  }
  for (const auto& h : target.hosts()) {
    if (auto ok = check_name("target host", h); !ok) return ok;
  }
  for (const auto& r : target.roles()) {
    if (auto ok = check_name("target role", r); !ok) return ok;
  }
  for (const auto& t : target.tags()) {
    if (auto ok = check_name("target tag", t); !ok) return ok;
  }
  return {};
}

std::string TargetMatcher::describe(const tend::Target& t) {
  if (t.all() && t.hosts().empty() && t.roles().empty() && t.tags().empty()) return "all";
  std::vector<std::string> parts;
  if (!t.hosts().empty()) parts.push_back(fmt::format("hosts={}", fmt::join(t.hosts(), ",")));
  if (!t.roles().empty()) parts.push_back(fmt::format("roles={}", fmt::join(t.roles(), ",")));
  if (!t.tags().empty()) parts.push_back(fmt::format("tags={}", fmt::join(t.tags(), ",")));
  if (parts.empty()) return "(empty)";
  return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace tend
