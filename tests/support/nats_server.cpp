#include "tests/support/nats_server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

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

int NatsServer::free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

NatsServer::NatsServer() {
  if (const char* env = std::getenv("TEND_TEST_NATS_URL"); env && *env) {
    url_ = env;
    return;
  }
  int port = free_port();
  pid_ = fork();
  if (pid_ == 0) {
    std::string p = std::to_string(port);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execlp("nats-server", "nats-server", "-a", "127.0.0.1", "-p", p.c_str(), "-js", "-sd",
           fmt::format("/tmp/tend-test-nats-{}", port).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  url_ = fmt::format("nats://127.0.0.1:{}", port);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!loopback_port_open(port)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("nats-server did not start: is it installed (scripts/setup)?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

NatsServer::~NatsServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
}

NatsServer& NatsServer::shared() {
  static NatsServer server;
  return server;
}

}  // namespace tend::testing
