// A real nats-server for a test. scripts/test starts one and says where in
// TEND_TEST_NATS_URL; when a test binary runs on its own, this starts a
// private one on a free loopback port and stops it at the end.
#pragma once

#include <sys/types.h>

#include <string>

namespace tend::testing {

class NatsServer {
 public:
  NatsServer();
  ~NatsServer();
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  const std::string& url() const { return url_; }

  // The shared server (from the environment, or started once per process).
  static NatsServer& shared();

  // Always a private server this test controls (to stop and restart it).
  static int free_port();

 private:
  std::string url_;
  pid_t pid_ = -1;
};

// True when something accepts TCP connections on 127.0.0.1:`port`.
bool loopback_port_open(int port);

}  // namespace tend::testing
