#include "core/common/fixed_histogram.h"

#include <gtest/gtest.h>

#include <limits>

namespace tend {
namespace {

std::string rendered(const FixedHistogram& histogram) {
  ExpositionText out;
  histogram.append_to(out, "tend_wait_seconds", {{"plugin", "noop"}});
  return out.text();
}

TEST(FixedHistogram, BucketsAreCumulativeAndEndWithInfThenSumAndCount) {
  FixedHistogram histogram({0.1, 1, 10});
  for (double v : {0.05, 0.5, 0.7, 5.0, 100.0}) histogram.observe(v);

  EXPECT_EQ(rendered(histogram),
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"0.1\"} 1\n"
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"1\"} 3\n"
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"10\"} 4\n"
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"+Inf\"} 5\n"
            "tend_wait_seconds_sum{plugin=\"noop\"} 106.25\n"
            "tend_wait_seconds_count{plugin=\"noop\"} 5\n");
  EXPECT_EQ(histogram.count(), 5u);
  EXPECT_DOUBLE_EQ(histogram.sum(), 106.25);
}

TEST(FixedHistogram, AValueOnABoundCountsInThatBoundsBucket) {
  FixedHistogram histogram({1, 2});
  histogram.observe(1);
  histogram.observe(2);
  EXPECT_EQ(rendered(histogram),
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"1\"} 1\n"
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"2\"} 2\n"
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"+Inf\"} 2\n"
            "tend_wait_seconds_sum{plugin=\"noop\"} 3\n"
            "tend_wait_seconds_count{plugin=\"noop\"} 2\n");
}

TEST(FixedHistogram, AnEmptyHistogramShowsEveryBucketAtZero) {
  FixedHistogram histogram({0.5});
  EXPECT_EQ(rendered(histogram),
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"0.5\"} 0\n"
            "tend_wait_seconds_bucket{plugin=\"noop\",le=\"+Inf\"} 0\n"
            "tend_wait_seconds_sum{plugin=\"noop\"} 0\n"
            "tend_wait_seconds_count{plugin=\"noop\"} 0\n");
}

TEST(FixedHistogram, NaNIsIgnoredSoTheSumStaysANumber) {
  FixedHistogram histogram({1});
  histogram.observe(std::numeric_limits<double>::quiet_NaN());
  histogram.observe(0.5);
  EXPECT_EQ(histogram.count(), 1u);
  EXPECT_DOUBLE_EQ(histogram.sum(), 0.5);
}

}  // namespace
}  // namespace tend
