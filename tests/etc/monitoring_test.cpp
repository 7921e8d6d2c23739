// What tend ships for Prometheus and Grafana (etc/prometheus/tend.rules.yml,
// etc/grafana/tend.json) asks only for metrics tend really exports: a metric
// renamed in the code breaks these tests, not an on-call engineer's night.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/agent/telemetry/agent_metrics.h"
#include "core/coordinator/metrics/coordinator_metrics.h"
#include "tests/support/metrics_text.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;

const std::filesystem::path kSource = TEND_SOURCE_DIR;
const std::filesystem::path kRules = kSource / "etc/prometheus/tend.rules.yml";
const std::filesystem::path kDashboard = kSource / "etc/grafana/tend.json";

// What node_exporter's textfile collector adds about the files themselves
// (tests/integration/metrics_test.cpp sees them served).
const std::set<std::string> kTextfileCollectorMetrics{"node_textfile_mtime_seconds",
                                                      "node_textfile_scrape_error"};

// Every metric name the agent and the coordinator write, with every kind of
// sample present.
std::set<std::string> exported_names() {
  AgentMetrics agent({"web-01", "web", "1"}, 0);
  agent.set_plugins({"noop"});
  tend::Result result;
  result.set_plugin("noop");
  result.set_status(tend::SUCCEEDED);
  (*result.mutable_figures())["bytes_reclaimed"] = 1;
  (*result.mutable_figures())["services_restarted"] = 1;
  (*result.mutable_outputs())["service"] = "nginx";
  agent.record(result);
  CoordinatorMetrics coordinator("1", 0);
  auto names = metric_names(agent.render());
  names.merge(metric_names(coordinator.render()));
  return names;
}

// The PromQL in `expr:` keys of a rules file, inline or as a block scalar.
std::vector<std::string> rule_expressions(const std::string& yaml) {
  std::vector<std::string> exprs;
  std::istringstream lines(yaml);
  std::string line;
  std::optional<size_t> block_indent;  // inside a `expr: >` block deeper than this
  while (std::getline(lines, line)) {
    size_t indent = line.find_first_not_of(' ');
    if (block_indent) {
      if (indent != std::string::npos && indent > *block_indent) {
        exprs.back() += " " + line.substr(indent);
        continue;
      }
      block_indent.reset();
    }
    if (indent == std::string::npos || line.compare(indent, 5, "expr:") != 0) continue;
    std::string value = line.substr(indent + 5);
    value.erase(0, value.find_first_not_of(' '));
    if (value.starts_with(">") || value.starts_with("|")) {
      block_indent = indent;
      exprs.emplace_back();
    } else {
      exprs.push_back(value);
    }
  }
  return exprs;
}

// Recording rules the file defines (`record: name`).
std::set<std::string> recorded_names(const std::string& yaml) {
  std::set<std::string> names;
  std::regex record(R"(record:\s*([a-zA-Z_:][a-zA-Z0-9_:]*))");
  for (std::sregex_iterator it(yaml.begin(), yaml.end(), record), end; it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

struct DashboardQueries {
  std::vector<std::string> exprs;             // panel targets: PromQL with Grafana variables
  std::vector<std::string> variable_queries;  // label_values(metric, label)
};

DashboardQueries dashboard_queries(const nlohmann::json& dashboard) {
  DashboardQueries queries;
  for (const auto& panel : dashboard.at("panels")) {
    if (!panel.contains("targets")) continue;
    for (const auto& target : panel.at("targets")) queries.exprs.push_back(target.at("expr"));
  }
  for (const auto& variable : dashboard.at("templating").at("list")) {
    queries.variable_queries.push_back(variable.at("definition"));
  }
  return queries;
}

// Grafana's variables replaced as Grafana would, leaving plain PromQL.
std::string as_promql(std::string expr) {
  for (auto [variable, value] : {std::pair{"$__rate_interval", "5m"}, std::pair{"$instance", ".*"},
                                 std::pair{"$plugin", ".*"}}) {
    for (auto at = expr.find(variable); at != std::string::npos; at = expr.find(variable)) {
      expr.replace(at, std::string(variable).size(), value);
    }
  }
  return expr;
}

// Metric names in a PromQL expression: tend's own (tend_*), the recording
// rules' (tend:*) and node_exporter's (node_*). String literals (label
// values and regexes such as ".*tend_agent\\.prom") are not names.
std::set<std::string> names_in(const std::string& promql) {
  static const std::regex strings(R"("(\\.|[^"\\])*")");
  static const std::regex name(R"(\b(tend[_:][a-zA-Z0-9_:]*|node_[a-zA-Z0-9_]*))");
  std::string bare = std::regex_replace(promql, strings, "\"\"");
  std::set<std::string> names;
  for (std::sregex_iterator it(bare.begin(), bare.end(), name), end; it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

// Names that are neither exported by tend, nor recorded by the rules, nor
// node_exporter's textfile metrics.
std::set<std::string> unknown_names(const std::vector<std::string>& exprs) {
  static const std::set<std::string> exported = exported_names();
  static const std::set<std::string> recorded = recorded_names(read_file(kRules));
  std::set<std::string> unknown;
  for (const auto& expr : exprs) {
    for (const auto& name : names_in(expr)) {
      if (!exported.contains(name) && !recorded.contains(name) &&
          !kTextfileCollectorMetrics.contains(name)) {
        unknown.insert(name + "   in   " + expr);
      }
    }
  }
  return unknown;
}

TEST(MonitoringFiles, TheNameScanFindsWhatItShould) {
  EXPECT_EQ(
      names_in(
          R"(sum by (plugin) (rate(tend_agent_tasks_total{status="failed"}[5m])) / )"
          R"(tend:agent_tasks:rate5m unless node_textfile_mtime_seconds{file=~".*tend_x\\.prom"})"),
      (std::set<std::string>{"tend_agent_tasks_total", "tend:agent_tasks:rate5m",
                             "node_textfile_mtime_seconds"}));
  EXPECT_EQ(
      rule_expressions("  - alert: A\n    expr: up == 0\n    for: 5m\n"
                       "  - record: b\n    expr: >\n      sum(x)\n      / 2\n    labels: {}\n"),
      (std::vector<std::string>{"up == 0", " sum(x) / 2"}));
}

TEST(MonitoringFiles, TheRulesUseOnlyMetricsTendExports) {
  auto exprs = rule_expressions(read_file(kRules));
  ASSERT_GE(exprs.size(), 10u) << "the rules file could not be read: " << kRules;
  EXPECT_THAT(unknown_names(exprs), IsEmpty());
}

TEST(MonitoringFiles, TheDashboardIsGrafanaJsonWithAPrometheusInput) {
  auto dashboard = nlohmann::json::parse(read_file(kDashboard));  // throws, failing, if invalid
  ASSERT_EQ(dashboard.at("__inputs").size(), 1u);
  EXPECT_EQ(dashboard.at("__inputs")[0].at("name"), "DS_PROMETHEUS");
  EXPECT_EQ(dashboard.at("__inputs")[0].at("pluginId"), "prometheus");
  std::set<int> ids;
  for (const auto& panel : dashboard.at("panels")) {
    EXPECT_TRUE(ids.insert(panel.at("id").get<int>()).second)
        << "two panels share id " << panel.at("id");
    if (panel.at("type") == "row") continue;
    EXPECT_EQ(panel.at("datasource").at("uid"), "${DS_PROMETHEUS}") << panel.at("title");
    for (const auto& target : panel.at("targets")) {
      EXPECT_EQ(target.at("datasource").at("uid"), "${DS_PROMETHEUS}") << panel.at("title");
    }
  }
  // The panels the on-call engineer looks for.
  std::vector<std::string> titles;
  for (const auto& panel : dashboard.at("panels")) titles.push_back(panel.at("title"));
  EXPECT_THAT(titles, IsSupersetOf({"Task outcomes by plugin and status", "Task duration quantiles",
                                    "Bytes reclaimed", "Services restarted", "Agents paused",
                                    "Nodes online and offline", "Result store lag",
                                    "Tasks in flight and pending approvals"}));
}

TEST(MonitoringFiles, TheDashboardUsesOnlyMetricsTendExports) {
  auto queries = dashboard_queries(nlohmann::json::parse(read_file(kDashboard)));
  ASSERT_GE(queries.exprs.size(), 15u);
  std::vector<std::string> all = queries.exprs;
  all.insert(all.end(), queries.variable_queries.begin(), queries.variable_queries.end());
  EXPECT_THAT(unknown_names(all), IsEmpty());
}

// promtool parses every expression of a rule: the dashboard's, turned into
// recording rules, get the same check as the shipped rules.
TEST(MonitoringFiles, EveryDashboardQueryIsValidPromQL) {
  if (promtool_path().empty()) {
    GTEST_SKIP()
        << "promtool is not installed (Debian package prometheus; scripts/setup installs it)";
  }
  auto queries = dashboard_queries(nlohmann::json::parse(read_file(kDashboard)));
  std::string rules = "groups:\n  - name: dashboard\n    rules:\n";
  for (size_t i = 0; i < queries.exprs.size(); ++i) {
    // A JSON string is a valid YAML double-quoted scalar.
    rules += fmt::format("      - record: dashboard:query_{}\n        expr: {}\n", i,
                         nlohmann::json(as_promql(queries.exprs[i])).dump());
  }
  TempDir dir;
  auto file = dir.write("dashboard.rules.yml", rules);
  auto check = run_to_completion({promtool_path().string(), "check", "rules", file.string()},
                                 dir.path(), "promtool", 30s);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->exit_code, 0) << check->out << check->err << "\n" << rules;
}

}  // namespace
}  // namespace tend::testing
