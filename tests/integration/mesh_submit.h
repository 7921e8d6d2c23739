// What the mesh tests share: submitting through a TendStack and reading
// the Summary as an operator would.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/summary.pb.h"
#include "tests/support/tend_stack.h"

namespace tend::testing {

using namespace std::chrono_literals;

// Long enough for a loaded two-core machine, short enough to fail fast.
inline constexpr auto kSubmitTimeout = 15s;
inline constexpr auto kArrival = 10s;

inline std::vector<std::string> hosts_that_ran(const tend::Summary& summary) {
  std::vector<std::string> hosts;
  for (const auto& result : summary.results()) hosts.push_back(result.host());
  std::sort(hosts.begin(), hosts.end());
  return hosts;
}

inline std::vector<std::string> hosts_of(
    const google::protobuf::RepeatedPtrField<std::string>& list) {
  std::vector<std::string> hosts(list.begin(), list.end());
  std::sort(hosts.begin(), hosts.end());
  return hosts;
}

// Submits `json` and reads the answer as a Summary.
inline Expected<tend::Summary> run(TendStack& stack, std::string_view json) {
  auto reply = stack.submit_json(json, kSubmitTimeout);
  if (!reply) return reply.error();
  return reply->summary();
}

// Submits `json`, which the coordinator must refuse, and returns why.
inline Expected<std::string> refusal(TendStack& stack, std::string_view json) {
  auto reply = stack.submit_json(json, kSubmitTimeout);
  if (!reply) return reply.error();
  if (reply->error().empty()) return make_error("not refused; answered " + reply->raw());
  return reply->error();
}

}  // namespace tend::testing
