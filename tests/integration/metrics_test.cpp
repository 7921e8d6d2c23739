// Metrics end to end: a real tend-agent and tend-coordinator run real noop
// tasks, and a real prometheus-node-exporter, reading each one's textfile
// directory as it would on their machines, serves what Prometheus scrapes.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "tests/integration/programs.h"
#include "tests/support/metrics_text.h"
#include "tests/support/node_exporter.h"
#include "tests/support/tend_stack.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using ::testing::Optional;

constexpr auto kSubmitTimeout = 15s;
// The programs rewrite a changed file within about two seconds.
constexpr auto kFileUpdate = 15s;

const AgentSpec kWeb01{"web-01", "web-server", {"production"}};

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// A predicate on a scrape: `series` has exactly `value`.
std::function<bool(const std::string&)> has(std::string series, double value) {
  return [series = std::move(series), value](const std::string& text) {
    return metric_value(text, series) == value;
  };
}

class Metrics : public ::testing::Test {
 protected:
  void SetUp() override {
    if (NodeExporter::program().empty()) {
      GTEST_SKIP() << "prometheus-node-exporter is not installed (scripts/setup installs it)";
    }
  }
  void TearDown() override {
    if (HasFailure() && stack_) std::cerr << stack_->logs();
  }

  TendStack& start_stack(std::vector<AgentSpec> agents) {
    stack_ = std::make_unique<TendStack>(built_programs(), std::move(agents));
    auto started = stack_->start();
    EXPECT_TRUE(started) << started.error().message;
    return *stack_;
  }

  // A node_exporter reading `dir`, started and answering.
  NodeExporter& exporter_for(const std::filesystem::path& dir) {
    exporters_.push_back(std::make_unique<NodeExporter>(dir));
    auto started = exporters_.back()->start();
    EXPECT_TRUE(started) << started.error().message;
    return *exporters_.back();
  }

  Expected<tend::Summary> run(std::string_view json) {
    auto reply = stack_->submit_json(json, kSubmitTimeout);
    if (!reply) return reply.error();
    return reply->summary();
  }

  std::unique_ptr<TendStack> stack_;
  std::vector<std::unique_ptr<NodeExporter>> exporters_;
};

TEST_F(Metrics, NodeExporterServesWhatTheAgentAndTheCoordinatorDid) {
  const double test_started = now_seconds();
  TendStack& stack = start_stack({kWeb01});
  ASSERT_FALSE(HasFailure());
  NodeExporter& agent_node = exporter_for(stack.agent_metrics_dir("web-01"));
  NodeExporter& coordinator_node = exporter_for(stack.coordinator_metrics_dir());
  ASSERT_FALSE(HasFailure());

  // One task that succeeds and one that fails through tend.submit, one
  // more published straight to the node.
  auto ok = run(R"({"target": {"hosts": ["web-01"]}, "plugin": "noop"})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->text(), "1/1 succeeded");
  auto failed = run(
      R"({"target": {"hosts": ["web-01"]}, "plugin": "noop", "params": {"fail": "disk on fire"}})");
  ASSERT_TRUE(failed) << failed.error().message;
  EXPECT_EQ(failed->failed(), 1u);
  auto direct =
      stack.client().request_raw(stack.subjects().task_host("web-01"),
                                 R"({"id": "direct-1", "plugin": "noop"})", kSubmitTimeout);
  ASSERT_TRUE(direct) << direct.error().message;

  // What Prometheus would scrape from web-01's node_exporter.
  auto agent = agent_node.scrape_until(
      [](const std::string& text) {
        return has(R"(tend_agent_tasks_total{plugin="noop",status="succeeded"})", 2)(text) &&
               has(R"(tend_agent_tasks_total{plugin="noop",status="failed"})", 1)(text);
      },
      kFileUpdate);
  ASSERT_TRUE(agent) << agent.error().message;
  const std::string& a = *agent;
  EXPECT_THAT(metric_value(a, R"(tend_agent_tasks_total{plugin="noop",status="timed_out"})"),
              Optional(0.0));
  EXPECT_THAT(metric_value(a, R"(tend_agent_task_duration_seconds_count{plugin="noop"})"),
              Optional(3.0));
  EXPECT_THAT(
      metric_value(a, R"(tend_agent_task_duration_seconds_bucket{plugin="noop",le="+Inf"})"),
      Optional(3.0));
  EXPECT_THAT(metric_value(a, R"(tend_agent_last_success_timestamp_seconds{plugin="noop"})"),
              Optional(AllOf(Ge(test_started - 1), Le(now_seconds() + 1))));
  EXPECT_THAT(
      metric_value(a,
                   fmt::format(R"(tend_agent_info{{host="web-01",role="web-server",version="{}"}})",
                               TEND_VERSION)),
      Optional(1.0));
  EXPECT_THAT(metric_value(a, "tend_agent_up"), Optional(1.0));
  // Every built-in plugin in the build's plugin directory.
  size_t plugin_files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(TEND_PLUGIN_DIR)) {
    plugin_files += entry.path().extension() == ".so";
  }
  EXPECT_THAT(metric_value(a, "tend_agent_plugins_loaded"),
              Optional(static_cast<double>(plugin_files)));
  EXPECT_THAT(metric_value(a, "tend_agent_paused"), Optional(0.0));
  EXPECT_THAT(metric_value(a, "tend_agent_tasks_running"), Optional(0.0));
  // node_exporter read the file cleanly, and its age is what "agent silent" watches.
  EXPECT_THAT(metric_value(a, "node_textfile_scrape_error"), Optional(0.0));
  auto file = stack.agent_metrics_dir("web-01") / "tend_agent.prom";
  EXPECT_THAT(
      metric_value(a, fmt::format(R"(node_textfile_mtime_seconds{{file="{}"}})", file.string())),
      Optional(AllOf(Ge(test_started - 1), Le(now_seconds() + 1))));

  // And from the coordinator's.
  auto coordinator = coordinator_node.scrape_until(
      [](const std::string& text) {
        return has(R"(tend_coordinator_tasks_total{origin="submit",outcome="succeeded"})",
                   1)(text) &&
               has(R"(tend_coordinator_tasks_total{origin="submit",outcome="failed"})", 1)(text) &&
               has(R"(tend_coordinator_tasks_total{origin="direct",outcome="succeeded"})",
                   1)(text) &&
               // Nodes are counted at most once a second: wait for the count too.
               has(R"(tend_coordinator_nodes{state="online"})", 1)(text);
      },
      kFileUpdate);
  ASSERT_TRUE(coordinator) << coordinator.error().message;
  const std::string& c = *coordinator;
  EXPECT_THAT(
      metric_value(c, R"(tend_coordinator_tasks_total{origin="submit",outcome="incomplete"})"),
      Optional(0.0));
  EXPECT_THAT(metric_value(c, R"(tend_coordinator_nodes{state="online"})"), Optional(1.0));
  EXPECT_THAT(metric_value(c, R"(tend_coordinator_nodes{state="offline"})"), Optional(0.0));
  EXPECT_THAT(metric_value(c, "tend_coordinator_tasks_in_flight"), Optional(0.0));
  EXPECT_THAT(metric_value(c, "tend_coordinator_results_stored_total"), Optional(0.0));
  EXPECT_THAT(metric_value(c, "tend_coordinator_store_lag_seconds"), Optional(0.0));
  EXPECT_THAT(metric_value(c, "tend_coordinator_pending_approvals"), Optional(0.0));
  EXPECT_THAT(metric_value(c, "tend_coordinator_up"), Optional(1.0));
  EXPECT_THAT(metric_value(c, "node_textfile_scrape_error"), Optional(0.0));
}

TEST_F(Metrics, TheFilesTheProgramsWritePassPromtoolCheckMetrics) {
  if (promtool_path().empty()) {
    GTEST_SKIP()
        << "promtool is not installed (Debian package prometheus; scripts/setup installs it)";
  }
  TendStack& stack = start_stack({kWeb01});
  ASSERT_FALSE(HasFailure());
  auto ok = run(R"({"target": {"all": true}, "plugin": "noop"})");
  ASSERT_TRUE(ok) << ok.error().message;
  NodeExporter& agent_node = exporter_for(stack.agent_metrics_dir("web-01"));
  ASSERT_FALSE(HasFailure());
  ASSERT_TRUE(agent_node.scrape_until(
      has(R"(tend_agent_tasks_total{plugin="noop",status="succeeded"})", 1), kFileUpdate));

  for (const auto& file : {stack.agent_metrics_dir("web-01") / "tend_agent.prom",
                           stack.coordinator_metrics_dir() / "tend_coordinator.prom"}) {
    auto check = promtool_check_metrics(file, stack.dir().path());
    ASSERT_TRUE(check) << check.error().message;
    EXPECT_EQ(check->exit_code, 0) << file << ":\n" << check->out << check->err;
    EXPECT_EQ(check->out + check->err, "") << file;
  }
}

TEST_F(Metrics, APausedAgentSaysSoAndAStoppedOneSaysItStopped) {
  TendStack& stack = start_stack({kWeb01});
  ASSERT_FALSE(HasFailure());
  NodeExporter& node = exporter_for(stack.agent_metrics_dir("web-01"));
  ASSERT_FALSE(HasFailure());

  auto paused = stack.client().request_raw(stack.subjects().control("web-01"),
                                           R"({"action": "pause", "by": "test"})", 5s);
  ASSERT_TRUE(paused) << paused.error().message;
  auto seen = node.scrape_until(has("tend_agent_paused", 1), kFileUpdate);
  EXPECT_TRUE(seen) << seen.error().message;

  EXPECT_EQ(stack.stop_agent("web-01"), 0);
  auto stopped = node.scrape_until(has("tend_agent_up", 0), kFileUpdate);
  EXPECT_TRUE(stopped) << stopped.error().message;
}

TEST_F(Metrics, AnAgentWhoseTextfileDirectoryIsMissingSaysSoOnceAndKeepsServing) {
  AgentSpec spec = kWeb01;
  spec.textfile_dir = "/nonexistent/tend-test/node-exporter";
  TendStack& stack = start_stack({spec});
  ASSERT_FALSE(HasFailure());

  auto ok = run(R"({"target": {"hosts": ["web-01"]}, "plugin": "noop"})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->text(), "1/1 succeeded");
  EXPECT_EQ(count_of(stack.agent("web-01").log(),
                     "metrics off: textfile directory /nonexistent/tend-test/node-exporter does "
                     "not exist"),
            1u)
      << stack.agent("web-01").log();
}

}  // namespace
}  // namespace tend::testing
