#include "core/common/exposition_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace tend {
namespace {

TEST(ExpositionText, EscapesBackslashQuoteAndNewlineInLabelValues) {
  EXPECT_EQ(escape_label_value("plain-name_1"), "plain-name_1");
  EXPECT_EQ(escape_label_value(R"(C:\tmp)"), R"(C:\\tmp)");
  EXPECT_EQ(escape_label_value(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(escape_label_value("two\nlines"), R"(two\nlines)");
  EXPECT_EQ(escape_label_value("\\\"\n"), R"(\\\"\n)");
}

TEST(ExpositionText, EscapesBackslashAndNewlineInHelpButNotQuotes) {
  EXPECT_EQ(escape_help("a \"quoted\" word\\path\nnext"), "a \"quoted\" word\\\\path\\nnext");
}

TEST(ExpositionText, FormatsValuesAsPrometheusReadsThem) {
  EXPECT_EQ(format_metric_value(0), "0");
  EXPECT_EQ(format_metric_value(3), "3");
  EXPECT_EQ(format_metric_value(0.25), "0.25");
  EXPECT_EQ(format_metric_value(-1.5), "-1.5");
  EXPECT_EQ(format_metric_value(1234567890123.0), "1234567890123");
  EXPECT_EQ(format_metric_value(1e21), "1e+21");
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_metric_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_metric_value(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(ExpositionText, AFamilyIsItsHelpAndTypeThenItsSamples) {
  ExpositionText out;
  out.family("tend_things_total", MetricType::kCounter, "Things done.\nAll of them.");
  out.sample("tend_things_total", {{"kind", "big"}, {"by", "o\"neil"}}, 2);
  out.sample("tend_things_total", {{"kind", "small"}, {"by", "x"}}, 0.5);
  out.family("tend_level", MetricType::kGauge, "A level.");
  out.sample("tend_level", 7);
  out.family("tend_wait_seconds", MetricType::kHistogram, "Waits.");

  EXPECT_EQ(out.text(),
            "# HELP tend_things_total Things done.\\nAll of them.\n"
            "# TYPE tend_things_total counter\n"
            "tend_things_total{kind=\"big\",by=\"o\\\"neil\"} 2\n"
            "tend_things_total{kind=\"small\",by=\"x\"} 0.5\n"
            "# HELP tend_level A level.\n"
            "# TYPE tend_level gauge\n"
            "tend_level 7\n"
            "# HELP tend_wait_seconds Waits.\n"
            "# TYPE tend_wait_seconds histogram\n");
}

}  // namespace
}  // namespace tend
