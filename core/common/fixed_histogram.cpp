#include "core/common/fixed_histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace tend {

FixedHistogram::FixedHistogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), in_bucket_(bounds_.size() + 1, 0) {}

void FixedHistogram::observe(double value) {
  if (std::isnan(value)) return;  // no bucket holds it, and it would poison the sum
  auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  ++in_bucket_[static_cast<size_t>(bucket)];
  ++count_;
  sum_ += value;
}

void FixedHistogram::append_to(ExpositionText& out, std::string_view name,
                               const MetricLabels& labels) const {
  const std::string bucket_name = std::string(name) + "_bucket";
  MetricLabels with_le = labels;
  with_le.push_back({"le", ""});
  uint64_t cumulative = 0;
  for (size_t i = 0; i < in_bucket_.size(); ++i) {
    cumulative += in_bucket_[i];
    const double bound = i < bounds_.size() ? bounds_[i] : std::numeric_limits<double>::infinity();
    const std::string le = format_metric_value(bound);
    with_le.back().value = le;
    out.sample(bucket_name, with_le, static_cast<double>(cumulative));
  }
  out.sample(std::string(name) + "_sum", labels, sum_);
  out.sample(std::string(name) + "_count", labels, static_cast<double>(count_));
}

}  // namespace tend
