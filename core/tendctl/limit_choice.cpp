#include "core/tendctl/limit_choice.h"

#include <fmt/format.h>

#include "core/common/host_count.h"
#include "core/common/random_subset.h"
#include "core/common/target_matcher.h"

namespace tend::tendctl {

Expected<LimitChoice> choose_limited(const tend::NodeList& nodes, const tend::Target& target,
                                     const std::string& limit, std::optional<uint64_t> seed) {
  auto count = HostCount::parse(limit);
  if (!count) return make_error("--limit: " + count.error().message);
  TargetMatcher matcher(target);
  std::vector<std::string> matching;
  for (const auto& node : nodes.nodes()) {
    if (!node.online()) continue;
    const auto& hb = node.last_heartbeat();
    NodeIdentity identity{hb.host(), hb.role(), {hb.tags().begin(), hb.tags().end()}};
    if (matcher.matches(identity)) matching.push_back(hb.host());
  }
  LimitChoice choice;
  choice.matched = matching.size();
  choice.seed = seed ? *seed : fresh_seed();
  choice.hosts = random_subset(std::move(matching), count->of(choice.matched), choice.seed);
  return choice;
}

std::string describe_choice(const LimitChoice& choice, const std::string& limit) {
  return fmt::format(
      "limit {}: {} of {} matching online host(s), seed {} (--seed {} chooses "
      "them again)",
      limit, choice.hosts.size(), choice.matched, choice.seed, choice.seed);
}

}  // namespace tend::tendctl
