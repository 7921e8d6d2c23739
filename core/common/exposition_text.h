// Prometheus's text exposition format (0.0.4), the one node_exporter's
// textfile collector reads: each family starts with its HELP and TYPE lines,
// then its samples. Label values and help texts are escaped here, so a plugin
// or service name with a quote in it cannot break the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tend {

struct MetricLabel {
  std::string_view name;  // [a-zA-Z_][a-zA-Z0-9_]*, chosen by tend, not escaped
  std::string_view value;
};
using MetricLabels = std::vector<MetricLabel>;

enum class MetricType { kCounter, kGauge, kHistogram };

// `\` → `\\`, `"` → `\"`, newline → `\n`.
std::string escape_label_value(std::string_view value);

// `\` → `\\`, newline → `\n` (a HELP line is not quoted).
std::string escape_help(std::string_view text);

// The shortest text that reads back as the same double: "3", "0.25",
// "1e+21", and "+Inf", "-Inf", "NaN" as Prometheus spells them.
std::string format_metric_value(double value);

class ExpositionText {
 public:
  // Starts a family: `# HELP name help` and `# TYPE name type`.
  void family(std::string_view name, MetricType type, std::string_view help);

  // One sample line: `name{a="x",b="y"} value`, or `name value` without labels.
  void sample(std::string_view name, const MetricLabels& labels, double value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace tend
