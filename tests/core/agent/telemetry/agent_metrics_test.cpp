#include "core/agent/telemetry/agent_metrics.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/support/metrics_text.h"
#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::metric_value;
using ::testing::Not;
using ::testing::Optional;

constexpr double kStartedAt = 1700000000;

AgentMetrics web01() { return AgentMetrics({"web-01", "web-server", "1.2.3"}, kStartedAt); }

tend::Result result(const std::string& plugin, tend::Status status, uint64_t duration_ms = 0) {
  tend::Result r;
  r.set_task_id("t-1");
  r.set_host("web-01");
  r.set_plugin(plugin);
  r.set_status(status);
  r.set_duration_ms(duration_ms);
  return r;
}

std::optional<double> tasks(const AgentMetrics& m, std::string_view plugin,
                            std::string_view status) {
  return metric_value(
      m.render(),
      fmt::format("tend_agent_tasks_total{{plugin=\"{}\",status=\"{}\"}}", plugin, status));
}

TEST(AgentMetrics, ANewAgentSaysWhoItIsThatItIsUpAndItsState) {
  auto m = web01();
  std::string text = m.render();
  EXPECT_THAT(
      metric_value(text, R"(tend_agent_info{host="web-01",role="web-server",version="1.2.3"})"),
      Optional(1.0));
  EXPECT_THAT(metric_value(text, "tend_agent_up"), Optional(1.0));
  EXPECT_THAT(metric_value(text, "tend_agent_start_time_seconds"), Optional(kStartedAt));
  EXPECT_THAT(metric_value(text, "tend_agent_plugins_loaded"), Optional(0.0));
  EXPECT_THAT(metric_value(text, "tend_agent_paused"), Optional(0.0));
  EXPECT_THAT(metric_value(text, "tend_agent_tasks_running"), Optional(0.0));
  // No task yet: no task families, rather than families without samples.
  EXPECT_THAT(text, Not(HasSubstr("tend_agent_tasks_total")));
}

TEST(AgentMetrics, ALoadedPluginsCountersStartAtZeroForEveryStatus) {
  auto m = web01();
  m.set_plugins({"noop", "disk-cleanup"});
  EXPECT_THAT(metric_value(m.render(), "tend_agent_plugins_loaded"), Optional(2.0));
  for (auto status : {"succeeded", "failed", "timed_out", "crashed", "rejected"}) {
    EXPECT_THAT(tasks(m, "noop", status), Optional(0.0)) << status;
    EXPECT_THAT(tasks(m, "disk-cleanup", status), Optional(0.0)) << status;
  }
  EXPECT_THAT(
      metric_value(m.render(), R"(tend_agent_task_duration_seconds_count{plugin="disk-cleanup"})"),
      Optional(0.0));
}

TEST(AgentMetrics, CountsEachFinishedTaskByPluginAndStatus) {
  auto m = web01();
  m.record(result("noop", tend::SUCCEEDED));
  m.record(result("noop", tend::SUCCEEDED));
  m.record(result("noop", tend::FAILED));
  m.record(result("noop", tend::TIMED_OUT));
  m.record(result("noop", tend::CRASHED));
  m.record(result("disk-cleanup", tend::REJECTED));

  EXPECT_THAT(tasks(m, "noop", "succeeded"), Optional(2.0));
  EXPECT_THAT(tasks(m, "noop", "failed"), Optional(1.0));
  EXPECT_THAT(tasks(m, "noop", "timed_out"), Optional(1.0));
  EXPECT_THAT(tasks(m, "noop", "crashed"), Optional(1.0));
  EXPECT_THAT(tasks(m, "noop", "rejected"), Optional(0.0));
  EXPECT_THAT(tasks(m, "disk-cleanup", "rejected"), Optional(1.0));
  EXPECT_THAT(tasks(m, "disk-cleanup", "succeeded"), Optional(0.0));
}

TEST(AgentMetrics, DurationsGoIntoTheHistogramButRejectedTasksNeverRan) {
  auto m = web01();
  m.record(result("noop", tend::SUCCEEDED, 40));      // 0.04 s
  m.record(result("noop", tend::FAILED, 2500));       // 2.5 s
  m.record(result("noop", tend::TIMED_OUT, 301000));  // 301 s: past the default timeout
  m.record(result("noop", tend::REJECTED, 0));
  std::string text = m.render();

  auto bucket = [&](std::string_view le) {
    return metric_value(
        text,
        fmt::format(R"(tend_agent_task_duration_seconds_bucket{{plugin="noop",le="{}"}})", le));
  };
  EXPECT_THAT(bucket("0.01"), Optional(0.0));
  EXPECT_THAT(bucket("0.05"), Optional(1.0));
  EXPECT_THAT(bucket("1"), Optional(1.0));
  EXPECT_THAT(bucket("5"), Optional(2.0));
  EXPECT_THAT(bucket("300"), Optional(2.0));
  EXPECT_THAT(bucket("600"), Optional(3.0));
  EXPECT_THAT(bucket("+Inf"), Optional(3.0));
  EXPECT_THAT(metric_value(text, R"(tend_agent_task_duration_seconds_sum{plugin="noop"})"),
              Optional(303.54));
  EXPECT_THAT(metric_value(text, R"(tend_agent_task_duration_seconds_count{plugin="noop"})"),
              Optional(3.0));
}

TEST(AgentMetrics, TheLastSuccessIsWhenThePluginsLastTaskSucceeded) {
  auto m = web01();
  EXPECT_THAT(m.render(), Not(HasSubstr("tend_agent_last_success_timestamp_seconds")));

  auto ok = result("noop", tend::SUCCEEDED);
  *ok.mutable_finished_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1700000100);
  m.record(ok);
  auto failed = result("noop", tend::FAILED);
  *failed.mutable_finished_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1700000200);
  m.record(failed);
  auto dry = result("noop", tend::SUCCEEDED);
  dry.set_dry_run(true);
  *dry.mutable_finished_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(1700000300);
  m.record(dry);

  EXPECT_THAT(
      metric_value(m.render(), R"(tend_agent_last_success_timestamp_seconds{plugin="noop"})"),
      Optional(1700000100.0));
}

TEST(AgentMetrics, BytesReclaimedAddUpPerPluginFromTheResultsFigure) {
  auto m = web01();
  auto first = result("disk-cleanup", tend::SUCCEEDED);
  (*first.mutable_figures())["bytes_reclaimed"] = 1.5e9;
  m.record(first);
  auto second = result("disk-cleanup", tend::FAILED);  // it still freed what it freed
  (*second.mutable_figures())["bytes_reclaimed"] = 5e8;
  m.record(second);
  auto dry = result("disk-cleanup", tend::SUCCEEDED);  // would free, but did not
  dry.set_dry_run(true);
  (*dry.mutable_figures())["bytes_reclaimed"] = 7e9;
  m.record(dry);
  m.record(result("noop", tend::SUCCEEDED));

  std::string text = m.render();
  EXPECT_THAT(metric_value(text, R"(tend_agent_bytes_reclaimed_total{plugin="disk-cleanup"})"),
              Optional(2e9));
  EXPECT_EQ(metric_value(text, R"(tend_agent_bytes_reclaimed_total{plugin="noop"})"), std::nullopt);
}

TEST(AgentMetrics, ServicesRestartedAreCountedByTheServiceTheResultNames) {
  auto m = web01();
  auto nginx = result("service-restart", tend::SUCCEEDED);
  (*nginx.mutable_figures())["services_restarted"] = 1;
  (*nginx.mutable_outputs())["service"] = "nginx";
  m.record(nginx);
  m.record(nginx);
  auto unnamed = result("service-restart", tend::SUCCEEDED);
  (*unnamed.mutable_figures())["services_restarted"] = 2;
  m.record(unnamed);
  auto none = result("service-restart", tend::SUCCEEDED);  // healthy: nothing restarted
  (*none.mutable_figures())["services_restarted"] = 0;
  (*none.mutable_outputs())["service"] = "postgresql";
  m.record(none);

  std::string text = m.render();
  EXPECT_THAT(metric_value(text, R"(tend_agent_services_restarted_total{service="nginx"})"),
              Optional(2.0));
  EXPECT_THAT(metric_value(text, R"(tend_agent_services_restarted_total{service="unknown"})"),
              Optional(2.0));
  EXPECT_EQ(metric_value(text, R"(tend_agent_services_restarted_total{service="postgresql"})"),
            std::nullopt);
}

TEST(AgentMetrics, GaugesFollowTheAgentsStateAndItsStop) {
  auto m = web01();
  m.set_paused(true);
  m.set_tasks_running(3);
  m.set_up(false);
  std::string text = m.render();
  EXPECT_THAT(metric_value(text, "tend_agent_paused"), Optional(1.0));
  EXPECT_THAT(metric_value(text, "tend_agent_tasks_running"), Optional(3.0));
  EXPECT_THAT(metric_value(text, "tend_agent_up"), Optional(0.0));
}

TEST(AgentMetrics, APluginNameWithQuotesCannotBreakTheFile) {
  auto m = web01();
  m.record(result("say \"hi\"\\\n", tend::REJECTED));
  EXPECT_THAT(tasks(m, R"(say \"hi\"\\\n)", "rejected"), Optional(1.0));
}

TEST(AgentMetrics, MadeUpPluginNamesBeyondTheLimitAreCountedAsOther) {
  auto m = web01();
  for (size_t i = 0; i < AgentMetrics::kMaxLabelValues + 5; ++i) {
    m.record(result(fmt::format("typo-{}", i), tend::REJECTED));
  }
  EXPECT_THAT(tasks(m, "typo-0", "rejected"), Optional(1.0));
  EXPECT_EQ(tasks(m, fmt::format("typo-{}", AgentMetrics::kMaxLabelValues), "rejected"),
            std::nullopt);
  EXPECT_THAT(tasks(m, "other", "rejected"), Optional(5.0));
}

TEST(AgentMetrics, ResultsFromManyThreadsAreAllCounted) {
  auto m = web01();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) m.record(result("noop", tend::SUCCEEDED, 1));
    });
  }
  std::thread renderer([&] {
    for (int i = 0; i < 50; ++i) (void)m.render();
  });
  for (auto& t : threads) t.join();
  renderer.join();
  EXPECT_THAT(tasks(m, "noop", "succeeded"), Optional(2000.0));
}

// Every family, with every kind of sample, as Prometheus's own linter sees it.
TEST(AgentMetrics, TheFilePassesPromtoolCheckMetrics) {
  if (testing::promtool_path().empty()) {
    GTEST_SKIP()
        << "promtool is not installed (Debian package prometheus; scripts/setup installs it)";
  }
  auto m = web01();
  m.set_plugins({"noop", "disk-cleanup"});
  m.record(result("noop", tend::SUCCEEDED, 120));
  m.record(result("noop", tend::FAILED, 80));
  auto cleanup = result("disk-cleanup", tend::SUCCEEDED, 4000);
  (*cleanup.mutable_figures())["bytes_reclaimed"] = 123456789;
  (*cleanup.mutable_figures())["services_restarted"] = 1;
  (*cleanup.mutable_outputs())["service"] = "nginx";
  m.record(cleanup);
  m.record(result("nope", tend::REJECTED));

  testing::TempDir dir;
  auto file = dir.write("tend_agent.prom", m.render());
  auto check = testing::promtool_check_metrics(file, dir.path());
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->exit_code, 0) << check->out << check->err;
  EXPECT_EQ(check->out + check->err, "");
}

}  // namespace
}  // namespace tend
