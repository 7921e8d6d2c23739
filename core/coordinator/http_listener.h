// The coordinator's HTTP listener ([http] listen): cpp-httplib on threads of
// its own, within [http]'s bounds on connections and time (http_guard.h).
// Handlers register before it starts; each validates and hands off, and
// never waits for PostgreSQL or NATS.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "bus/expected.h"
#include "core/coordinator/limits_config.h"

namespace httplib {
class Server;
}

namespace tend {

class HttpListener {
 public:
  // Binds `host`:`port` (port 0: any free one), lets `routes` add handlers,
  // and serves until destroyed. `refused` hears of each connection refused
  // at a bound (for the metrics), from any thread.
  static Expected<std::unique_ptr<HttpListener>> start(
      const std::string& host, int port, const HttpLimits& limits,
      const std::function<void(httplib::Server&)>& routes, std::function<void()> refused = {});
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  int port() const { return port_; }

 private:
  HttpListener() = default;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace tend
