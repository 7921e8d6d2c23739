#include "tests/support/private_nats_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "tests/support/nats_server.h"

namespace tend::testing {

PrivateNatsServer::PrivateNatsServer() = default;

PrivateNatsServer::~PrivateNatsServer() { stop(); }

Expected<void> PrivateNatsServer::start(std::chrono::milliseconds timeout) {
  if (port_ == 0) port_ = NatsServer::free_port();  // a restart keeps its port
  url_ = fmt::format("nats://127.0.0.1:{}", port_);
  auto process = ChildProcess::start({"nats-server", "-a", "127.0.0.1", "-p", std::to_string(port_),
                                      "-js", "-sd", (dir_.path() / "jetstream").string()},
                                     dir_.path() / "nats-server.log");
  if (!process) return process.error();
  process_.emplace(std::move(*process));

  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!loopback_port_open(port_)) {
    if (!process_->running() || std::chrono::steady_clock::now() > deadline) {
      return make_error(
          fmt::format("nats-server did not start on port {} (is it installed? scripts/setup):\n{}",
                      port_, process_->log()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {};
}

void PrivateNatsServer::stop() {
  if (process_) process_->terminate();
  process_.reset();
}

std::string PrivateNatsServer::log() const { return process_ ? process_->log() : std::string(); }

}  // namespace tend::testing
