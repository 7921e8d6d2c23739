// Reading Prometheus's text exposition in tests: a tend textfile, or what
// node_exporter serves on /metrics.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "bus/expected.h"
#include "tests/support/child_process.h"

namespace tend::testing {

// The value of one series, written as the exposition writes it:
// `tend_agent_up` or `tend_agent_tasks_total{plugin="noop",status="failed"}`.
// nullopt when there is no such line.
std::optional<double> metric_value(std::string_view exposition, std::string_view series);

// The name of every metric with a sample line (histograms give their
// _bucket, _sum and _count names).
std::set<std::string> metric_names(std::string_view exposition);

// promtool, from the Debian package prometheus: its path, or an empty path
// when it is not installed.
std::filesystem::path promtool_path();

// `promtool check metrics < file`: exit code 0 and no output when the file
// is a valid exposition that follows Prometheus's naming conventions.
Expected<Completed> promtool_check_metrics(const std::filesystem::path& file,
                                           const std::filesystem::path& scratch_dir);

}  // namespace tend::testing
