// A Prometheus histogram with bucket bounds fixed when it is made: counts per
// bucket, the sum and the count of what was observed. Not thread-safe: its
// owner locks.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/common/exposition_text.h"

namespace tend {

class FixedHistogram {
 public:
  // `upper_bounds`: finite and ascending; "+Inf" is always added last.
  explicit FixedHistogram(std::vector<double> upper_bounds);

  // A value equal to a bound falls in that bound's bucket (le: "less or
  // equal"). NaN is ignored.
  void observe(double value);

  uint64_t count() const { return count_; }
  double sum() const { return sum_; }

  // `name_bucket{...,le="b"}` for each bound, cumulative and ending with
  // le="+Inf", then `name_sum{...}` and `name_count{...}`. The family's HELP
  // and TYPE are the caller's, once for all label sets.
  void append_to(ExpositionText& out, std::string_view name, const MetricLabels& labels) const;

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> in_bucket_;  // not cumulative; one more than bounds_, for +Inf
  uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace tend
