// A nats-server of one test's own, on a free loopback port with JetStream,
// whatever TEND_TEST_NATS_URL says: for tests that need the subjects to
// themselves (integration tests run whole programs that all use the fixed
// prefix "tend") or that stop the server on purpose.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bus/expected.h"
#include "tests/support/child_process.h"
#include "tests/support/nats_server.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {

class PrivateNatsServer {
 public:
  // Started when start() succeeds.
  PrivateNatsServer();
  ~PrivateNatsServer();
  PrivateNatsServer(const PrivateNatsServer&) = delete;
  PrivateNatsServer& operator=(const PrivateNatsServer&) = delete;

  // Starts it and waits until it accepts connections. A restart after stop()
  // uses the same port, as a real server coming back would.
  Expected<void> start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void stop();

  const std::string& url() const { return url_; }
  int port() const { return port_; }
  std::string log() const;

 private:
  TempDir dir_{"tend-nats"};
  int port_ = 0;
  std::string url_;
  std::optional<ChildProcess> process_;
};

}  // namespace tend::testing
