#include "tests/support/metrics_text.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace tend::testing {
namespace {

using namespace std::chrono_literals;

std::optional<double> parse_value(std::string_view text) {
  if (text == "+Inf") return std::numeric_limits<double>::infinity();
  if (text == "-Inf") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

template <typename Fn>
void for_each_sample_line(std::string_view exposition, Fn fn) {
  while (!exposition.empty()) {
    auto end = exposition.find('\n');
    std::string_view line = exposition.substr(0, end);
    exposition.remove_prefix(end == std::string_view::npos ? exposition.size() : end + 1);
    if (!line.empty() && line.front() != '#') fn(line);
  }
}

}  // namespace

std::optional<double> metric_value(std::string_view exposition, std::string_view series) {
  std::optional<double> found;
  for_each_sample_line(exposition, [&](std::string_view line) {
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      std::string_view value = line.substr(series.size() + 1);
      value = value.substr(0, value.find(' '));  // a timestamp may follow
      found = parse_value(value);
    }
  });
  return found;
}

std::set<std::string> metric_names(std::string_view exposition) {
  std::set<std::string> names;
  for_each_sample_line(exposition, [&](std::string_view line) {
    names.insert(std::string(line.substr(0, line.find_first_of("{ "))));
  });
  return names;
}

std::filesystem::path promtool_path() { return find_on_path("promtool"); }

Expected<Completed> promtool_check_metrics(const std::filesystem::path& file,
                                           const std::filesystem::path& scratch_dir) {
  return run_to_completion({promtool_path().string(), "check", "metrics"}, scratch_dir,
                           "promtool-" + file.filename().string(), 30s, file);
}

}  // namespace tend::testing
