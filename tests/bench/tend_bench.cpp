// tend-bench: the measurements behind scripts/bench. Each mode prints one
// line "name p50_us p99_us samples" so the script can set tend's figures
// beside the floor measured in the same run, on the same server.
//
//   floor-rr      bare nats.c request/reply round trip (responder in-process)
//   floor-fanout  one request, N bare responders, until all N replies arrived
//                 (both named "...-paced" when given --gap-ms)
//   submit        tend.submit -> Summary through coordinator and agents
//   direct        request straight to tend.task.host.<h> -> the agent's Result
//   isolation     noop run in a fresh tend-plugin-runner vs in this process
//   store         results stored per second (see store_bench.h)
//
// --gap-ms paces requests: an agent keeps a few runner processes started
// ahead of need, and a fleet's nodes see tasks seconds apart, not
// back-to-back; without a gap the figure is the runner spawn rate instead.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "bus/connection.h"
#include "core/agent/plugin_host/plugin_call.h"
#include "core/agent/plugin_host/plugin_library.h"
#include "core/agent/plugin_host/plugin_params.h"
#include "core/agent/tasks/isolated_runner.h"
#include "core/common/trace_point.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"
#include "tests/bench/latency.h"
#include "tests/bench/store_bench.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::unique_ptr<tend::Connection> connect(const std::string& url) {
  tend::ConnectionOptions options;
  options.servers = {url};
  auto conn = tend::Connection::connect(options);
  if (!conn) {
    std::cerr << "tend-bench: " << conn.error().message << "\n";
    std::exit(1);
  }
  return std::move(*conn);
}

void report(const std::string& name, tend::bench::Latency& latency) {
  fmt::print("{} {:.1f} {:.1f} {}\n", name, latency.percentile_us(50), latency.percentile_us(99),
             latency.count());
}

int floor_rr(const std::string& url, int count, std::chrono::milliseconds gap) {
  auto responder = connect(url);
  auto requester = connect(url);
  auto sub = responder->subscribe("bench.floor.rr", [&](tend::Message msg) {
    (void)responder->publish_raw(msg.reply(), msg.data());
  });
  (void)responder->flush(2s);
  tend::bench::Latency latency;
  std::string payload(200, 'x');  // about the size of a small task
  for (int i = 0; i < count; ++i) {
    if (gap.count() > 0) std::this_thread::sleep_for(gap);
    auto t0 = Clock::now();
    auto reply = requester->request_raw("bench.floor.rr", payload, 2s);
    if (!reply) return std::cerr << reply.error().message << "\n", 1;
    latency.add(Clock::now() - t0);
  }
  report(gap.count() > 0 ? "floor-rr-paced" : "floor-rr", latency);
  return 0;
}

int floor_fanout(const std::string& url, int responders, int rounds,
                 std::chrono::milliseconds gap) {
  std::vector<std::unique_ptr<tend::Connection>> conns;
  std::vector<std::unique_ptr<tend::Subscription>> subs;
  for (int i = 0; i < responders; ++i) {
    conns.push_back(connect(url));
    auto* c = conns.back().get();
    auto sub = c->subscribe("bench.floor.fanout", [c](tend::Message msg) {
      (void)c->publish_raw(msg.reply(), msg.data());
    });
    subs.push_back(std::move(*sub));
    (void)c->flush(2s);
  }
  auto requester = connect(url);
  std::mutex mu;
  std::condition_variable cv;
  int replies = 0;
  std::string inbox = requester->new_inbox();
  auto sub = requester->subscribe(inbox, [&](tend::Message) {
    std::lock_guard lock(mu);
    ++replies;
    cv.notify_all();
  });
  (void)requester->flush(2s);
  tend::bench::Latency latency;
  std::string payload(200, 'x');
  for (int r = 0; r < rounds; ++r) {
    if (gap.count() > 0) std::this_thread::sleep_for(gap);
    {
      std::lock_guard lock(mu);
      replies = 0;
    }
    auto t0 = Clock::now();
    (void)requester->publish_raw("bench.floor.fanout", payload, inbox);
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, 5s, [&] { return replies >= responders; })) {
      std::cerr << "floor-fanout: only " << replies << " of " << responders << " replied\n";
      return 1;
    }
    latency.add(Clock::now() - t0);
  }
  report(fmt::format("floor-fanout-{}{}", responders, gap.count() > 0 ? "-paced" : ""), latency);
  return 0;
}

tend::Task noop_task(const std::string& role, const std::string& host) {
  tend::Task task;
  task.set_plugin("noop");
  if (!role.empty()) task.mutable_target()->add_roles(role);
  if (!host.empty()) task.mutable_target()->add_hosts(host);
  task.set_timeout_s(30);
  task.set_requested_by("tend-bench");
  return task;
}

int submit(const std::string& url, int count, const std::string& role, unsigned expected,
           std::chrono::milliseconds gap) {
  auto conn = connect(url);
  tend::bench::Latency latency;
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_for(gap);
    tend::trace_point("b.submit");
    auto t0 = Clock::now();
    auto reply = conn->request("tend.submit", noop_task(role, ""), tend::Encoding::kProtobuf, 60s);
    if (!reply) return std::cerr << "submit: " << reply.error().message << "\n", 1;
    latency.add(Clock::now() - t0);
    tend::trace_point("b.summary");
    tend::Summary summary;
    if (!reply->decode(summary) || summary.succeeded() != expected) {
      std::cerr << "submit: expected " << expected << " successes, got: " << summary.text() << "\n";
      return 1;
    }
  }
  report(fmt::format("submit-{}", expected), latency);
  return 0;
}

int direct(const std::string& url, int count, const std::string& host,
           std::chrono::milliseconds gap) {
  auto conn = connect(url);
  tend::bench::Latency latency;
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_for(gap);
    tend::Task task = noop_task("", "");
    task.set_id(fmt::format("bench-direct-{}-{}", getpid(), i));
    auto t0 = Clock::now();
    auto reply = conn->request("tend.task.host." + host, task, tend::Encoding::kProtobuf, 10s);
    if (!reply) return std::cerr << "direct: " << reply.error().message << "\n", 1;
    latency.add(Clock::now() - t0);
  }
  report("direct", latency);
  return 0;
}

// The same noop task run by the agent's IsolatedRunner (fresh process) and
// by run_lifecycle in this process: the difference is what isolation costs.
int isolation(const std::string& plugin_dir, const std::string& runner, int count,
              std::chrono::milliseconds gap) {
  tend::PluginCatalog catalog(tend::describe_in_child(runner));
  catalog.load_directory(plugin_dir);
  tend::RunnerPool pool(runner, 2);
  pool.set_plugins(catalog.paths());
  tend::IsolatedRunner isolated(catalog, pool, tend::IsolationConfig{});
  tend::Task task = noop_task("", "");
  std::atomic<bool> cancel{false};
  // The first noop task has the runner zygote load noop ahead for the rest.
  (void)isolated.run(task, cancel);
  if (!pool.wait_for_zygote(10s)) return std::cerr << "isolation: no runner zygote\n", 1;
  tend::bench::Latency in_runner;
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_for(gap);
    auto t0 = Clock::now();
    auto result = isolated.run(task, cancel);
    in_runner.add(Clock::now() - t0);
    if (result.status() != tend::SUCCEEDED) return std::cerr << result.error() << "\n", 1;
  }
  auto library = tend::PluginLibrary::load(catalog.find("noop")->path());
  if (!library) return std::cerr << library.error().message << "\n", 1;
  tend::bench::Latency in_process;
  for (int i = 0; i < count; ++i) {
    auto params = tend::validate_params((*library)->plugin(), task.params());
    auto t0 = Clock::now();
    auto outcome =
        tend::run_lifecycle(**library, std::move(*params), tend::PluginSettings{}, false, cancel);
    in_process.add(Clock::now() - t0);
    if (!outcome.succeeded) return std::cerr << outcome.error << "\n", 1;
  }
  report("isolated", in_runner);
  report("in-process", in_process);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tend-bench: latency measurements for scripts/bench"};
  std::string url = "nats://127.0.0.1:4222", role, host;
  int count = 1000, responders = 10;
  unsigned expected = 1;
  std::string mode, plugin_dir, runner;
  int gap_ms = 0;
  app.add_option("mode", mode, "floor-rr | floor-fanout | submit | direct | isolation | store")
      ->required();
  app.add_option("--server", url);
  app.add_option("--count", count, "round trips to measure");
  app.add_option("--responders", responders, "floor-fanout: bare responders");
  app.add_option("--role", role, "submit: target role");
  app.add_option("--expected", expected, "submit: successes each summary must report");
  app.add_option("--host", host, "direct: agent host");
  app.add_option("--gap-ms", gap_ms, "pause before each request");
  app.add_option("--plugin-dir", plugin_dir, "isolation: where noop.so is");
  app.add_option("--runner", runner, "isolation: tend-plugin-runner");
  std::string database;
  app.add_option("--database", database, "store: PostgreSQL URL");
  CLI11_PARSE(app, argc, argv);
  tend::NatsLibrary library;
  auto gap = std::chrono::milliseconds(gap_ms);
  if (mode == "floor-rr") return floor_rr(url, count, gap);
  if (mode == "floor-fanout") return floor_fanout(url, responders, count, gap);
  if (mode == "submit") return submit(url, count, role, expected, gap);
  if (mode == "direct") return direct(url, count, host, gap);
  if (mode == "isolation") return isolation(plugin_dir, runner, count, gap);
  if (mode == "store") return tend::bench::store_throughput(database, url, count);
  std::cerr << "unknown mode " << mode << "\n";
  return 2;
}
