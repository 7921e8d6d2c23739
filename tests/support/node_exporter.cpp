#include "tests/support/node_exporter.h"

#include <fmt/format.h>
#include <httplib.h>

#include <thread>

#include "tests/support/nats_server.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kPollInterval = 50ms;

}  // namespace

std::filesystem::path NodeExporter::program() { return find_on_path("prometheus-node-exporter"); }

NodeExporter::NodeExporter(std::filesystem::path textfile_dir)
    : textfile_dir_(std::move(textfile_dir)) {}

NodeExporter::~NodeExporter() {
  if (process_) process_->terminate(5s);
}

Expected<void> NodeExporter::start(std::chrono::milliseconds timeout) {
  port_ = NatsServer::free_port();
  auto process = ChildProcess::start(
      {program().string(), "--collector.disable-defaults", "--collector.textfile",
       "--collector.textfile.directory=" + textfile_dir_.string(),
       fmt::format("--web.listen-address=127.0.0.1:{}", port_), "--web.disable-exporter-metrics"},
      dir_.path() / "node-exporter.log");
  if (!process) return process.error();
  process_.emplace(std::move(*process));

  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (scrape()) return {};
    if (!process_->running() || std::chrono::steady_clock::now() > deadline) {
      return make_error(fmt::format("prometheus-node-exporter did not answer on port {}:\n{}",
                                    port_, process_->log()));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

Expected<std::string> NodeExporter::scrape() {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(2s);
  client.set_read_timeout(5s);
  auto response = client.Get("/metrics");
  if (!response) {
    return make_error(fmt::format("GET http://127.0.0.1:{}/metrics failed: {}", port_,
                                  httplib::to_string(response.error())));
  }
  if (response->status != 200) {
    return make_error(fmt::format("GET http://127.0.0.1:{}/metrics answered {}: {}", port_,
                                  response->status, response->body));
  }
  return response->body;
}

Expected<std::string> NodeExporter::scrape_until(
    const std::function<bool(const std::string&)>& wanted, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last = "no answer yet";
  for (;;) {
    auto text = scrape();
    if (text && wanted(*text)) return text;
    last = text ? *text : text.error().message;
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(kPollInterval);
  }
  return make_error(
      fmt::format("node_exporter never served what was wanted in {} ms; last scrape:\n{}",
                  timeout.count(), last));
}

}  // namespace tend::testing
