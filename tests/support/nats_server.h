// A real nats-server for a test: the one place tests get one. Two kinds,
// one type:
//
// - NatsServer::shared(), the suite's server. scripts/test starts one and
//   says where in TEND_TEST_NATS_URL; a test binary run on its own starts
//   one of these itself, once, and stops it at exit. Tests on it keep to a
//   subject prefix of their own.
// - A NatsServer the test owns and start()s: a private server, whatever
//   TEND_TEST_NATS_URL says, for tests that need the subjects to themselves
//   (whole programs, which all use the prefix "tend") or that stop and
//   restart the server.
//
// Either way the server listens on a free loopback port with JetStream on.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "bus/expected.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {

class NatsServer {
 public:
  // A private server, not started yet.
  NatsServer();
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  // The shared server, started on first use when the environment names none
  // (throws when it cannot start: no test can run without it).
  static const NatsServer& shared();

  // Starts it and waits until it accepts connections. A restart after stop()
  // uses the same port and JetStream store, as a real server coming back would.
  Expected<void> start(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  void stop();

  const std::string& url() const { return url_; }
  int port() const { return port_; }
  // What the server wrote so far (empty for one the environment named).
  std::string log() const;

 private:
  struct Shared {};
  explicit NatsServer(Shared);

  TempDir dir_{"tend-nats"};
  int port_ = 0;
  std::string url_;
  std::optional<ChildProcess> process_;
};

}  // namespace tend::testing
