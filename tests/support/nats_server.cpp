#include "tests/support/nats_server.h"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

#include "tests/support/eventually.h"
#include "tests/support/loopback_port.h"

namespace tend::testing {

NatsServer::NatsServer() = default;

NatsServer::NatsServer(Shared) {
  if (const char* env = std::getenv("TEND_TEST_NATS_URL"); env && *env) {
    url_ = env;
    return;
  }
  if (auto started = start(); !started) throw std::runtime_error(started.error().message);
}

NatsServer::~NatsServer() { stop(); }

const NatsServer& NatsServer::shared() {
  static NatsServer server{Shared{}};
  return server;
}

Expected<void> NatsServer::start(std::chrono::milliseconds timeout) {
  if (port_ == 0) port_ = free_loopback_port();  // a restart keeps its port
  url_ = fmt::format("nats://127.0.0.1:{}", port_);
  auto process = ChildProcess::start({"nats-server", "-a", "127.0.0.1", "-p", std::to_string(port_),
                                      "-js", "-sd", (dir_.path() / "jetstream").string()},
                                     dir_.path() / "nats-server.log");
  if (!process) return process.error();
  process_.emplace(std::move(*process));

  bool listening = false;
  eventually(
      [&] {
        listening = loopback_port_open(port_);
        return listening || !process_->running();
      },
      timeout);
  if (listening) return {};
  return make_error(
      fmt::format("nats-server did not start on port {} (is it installed? scripts/setup):\n{}",
                  port_, process_->log()));
}

void NatsServer::stop() {
  if (process_) process_->terminate();
  process_.reset();
}

std::string NatsServer::log() const { return process_ ? process_->log() : std::string(); }

}  // namespace tend::testing
