// How many failed hosts a run tolerates: an absolute number, a share of the
// run's hosts, or both (the tighter counts). Spent once more hosts failed
// than it allows: "stop if more than 5% fail" stops at the host that makes
// it 5% and a bit.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace tend {

class FailureBudget {
 public:
  FailureBudget(size_t total, std::optional<size_t> max_failures,
                std::optional<double> max_failure_percent);

  // Failed hosts tolerated.
  size_t allowed() const { return allowed_; }
  bool spent(size_t failed) const { return failed > allowed_; }

  // "more than 1 of 20 hosts (5%)" for reports and escalations.
  std::string describe() const;

 private:
  size_t total_;
  size_t allowed_;
  std::optional<size_t> max_failures_;
  std::optional<double> max_percent_;
};

}  // namespace tend
