#include "tests/support/private_nats_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "tests/support/nats_server.h"

namespace tend::testing {

bool loopback_port_open(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

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
