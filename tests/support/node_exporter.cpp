#include "tests/support/node_exporter.h"

#include <fmt/format.h>
#include <httplib.h>

#include "tests/support/eventually.h"
#include "tests/support/loopback_port.h"

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
  port_ = free_loopback_port();
  auto process = ChildProcess::start(
      {program().string(), "--collector.disable-defaults", "--collector.textfile",
       "--collector.textfile.directory=" + textfile_dir_.string(),
       fmt::format("--web.listen-address=127.0.0.1:{}", port_), "--web.disable-exporter-metrics"},
      dir_.path() / "node-exporter.log");
  if (!process) return process.error();
  process_.emplace(std::move(*process));

  bool answered = false;
  eventually(
      [&] {
        answered = scrape().ok();
        return answered || !process_->running();
      },
      timeout, kPollInterval);
  if (answered) return {};
  return make_error(fmt::format("prometheus-node-exporter did not answer on port {}:\n{}", port_,
                                process_->log()));
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
  auto last = read_until([&] { return scrape(); },
                         [&](const Expected<std::string>& text) { return text && wanted(*text); },
                         timeout, kPollInterval);
  if (last && wanted(*last)) return last;
  return make_error(
      fmt::format("node_exporter never served what was wanted in {} ms; last scrape:\n{}",
                  timeout.count(), last ? *last : last.error().message));
}

}  // namespace tend::testing
