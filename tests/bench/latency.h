// Collects round-trip samples and reports percentiles.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

namespace tend::bench {

class Latency {
 public:
  void add(std::chrono::nanoseconds sample) { samples_.push_back(sample.count()); }
  size_t count() const { return samples_.size(); }

  // p in [0, 100]; microseconds.
  double percentile_us(double p) {
    if (samples_.empty()) return 0;
    std::sort(samples_.begin(), samples_.end());
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(samples_.size() - 1));
    return static_cast<double>(samples_[i]) / 1000.0;
  }

 private:
  std::vector<int64_t> samples_;
};

}  // namespace tend::bench
