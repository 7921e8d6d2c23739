// tend-bench: the measurements behind scripts/bench. Each mode prints one
// line "name p50_us p99_us samples" so the script can set tend's figures
// beside the floor measured in the same run, on the same server.
//
//   floor-rr      bare nats.c request/reply round trip (responder in-process)
//   floor-fanout  one request, N bare responders, until all N replies arrived
//   submit        tend.submit -> Summary through coordinator and agents
//   direct        request straight to tend.task.host.<h> -> the agent's Result
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "bus/connection.h"
#include "schemas/summary.pb.h"
#include "schemas/task.pb.h"
#include "tests/bench/latency.h"

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

int floor_rr(const std::string& url, int count) {
  auto responder = connect(url);
  auto requester = connect(url);
  auto sub = responder->subscribe("bench.floor.rr", [&](tend::Message msg) {
    (void)responder->publish_raw(msg.reply(), msg.data());
  });
  (void)responder->flush(2s);
  tend::bench::Latency latency;
  std::string payload(200, 'x');  // about the size of a small task
  for (int i = 0; i < count; ++i) {
    auto t0 = Clock::now();
    auto reply = requester->request_raw("bench.floor.rr", payload, 2s);
    if (!reply) return std::cerr << reply.error().message << "\n", 1;
    latency.add(Clock::now() - t0);
  }
  report("floor-rr", latency);
  return 0;
}

int floor_fanout(const std::string& url, int responders, int rounds) {
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
  report(fmt::format("floor-fanout-{}", responders), latency);
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

int submit(const std::string& url, int count, const std::string& role, unsigned expected) {
  auto conn = connect(url);
  tend::bench::Latency latency;
  for (int i = 0; i < count; ++i) {
    auto t0 = Clock::now();
    auto reply = conn->request("tend.submit", noop_task(role, ""), tend::Encoding::kProtobuf, 60s);
    if (!reply) return std::cerr << "submit: " << reply.error().message << "\n", 1;
    latency.add(Clock::now() - t0);
    tend::Summary summary;
    if (!reply->decode(summary) || summary.succeeded() != expected) {
      std::cerr << "submit: expected " << expected << " successes, got: " << summary.text()
                << "\n";
      return 1;
    }
  }
  report(fmt::format("submit-{}", expected), latency);
  return 0;
}

int direct(const std::string& url, int count, const std::string& host) {
  auto conn = connect(url);
  tend::bench::Latency latency;
  for (int i = 0; i < count; ++i) {
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tend-bench: latency measurements for scripts/bench"};
  std::string url = "nats://127.0.0.1:4222", role, host;
  int count = 1000, responders = 10;
  unsigned expected = 1;
  std::string mode;
  app.add_option("mode", mode, "floor-rr | floor-fanout | submit | direct")->required();
  app.add_option("--server", url);
  app.add_option("--count", count, "round trips to measure");
  app.add_option("--responders", responders, "floor-fanout: bare responders");
  app.add_option("--role", role, "submit: target role");
  app.add_option("--expected", expected, "submit: successes each summary must report");
  app.add_option("--host", host, "direct: agent host");
  CLI11_PARSE(app, argc, argv);
  tend::NatsLibrary library;
  if (mode == "floor-rr") return floor_rr(url, count);
  if (mode == "floor-fanout") return floor_fanout(url, responders, count);
  if (mode == "submit") return submit(url, count, role, expected);
  if (mode == "direct") return direct(url, count, host);
  std::cerr << "unknown mode " << mode << "\n";
  return 2;
}
