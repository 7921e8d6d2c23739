// A real HTTP server for plugin tests: cpp-httplib on 127.0.0.1, port 0 (the
// kernel picks a free one), serving on its own thread from construction to
// destruction. Routes are given up front, before it accepts anything.
//
//   LoopbackHttpServer server([](httplib::Server& s) {
//     s.Get("/health", [](const auto&, auto& res) { res.set_content("ok", "text/plain"); });
//   });
//   probe(server.url("/health"));
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/support/eventually.h"

namespace tend::testing {

class LoopbackHttpServer {
 public:
  explicit LoopbackHttpServer(const std::function<void(httplib::Server&)>& routes) {
    routes(server_);
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ <= 0) throw std::runtime_error("cannot bind 127.0.0.1:0");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() does nothing to a server whose accept loop has not begun, so a
    // quick test would leave it accepting for ever: wait for the loop.
    if (!eventually([this] { return server_.is_running(); }, std::chrono::seconds(5),
                    std::chrono::milliseconds(1))) {
      server_.stop();
      thread_.join();
      throw std::runtime_error("127.0.0.1:" + std::to_string(port_) + " never began accepting");
    }
  }
  ~LoopbackHttpServer() {
    server_.stop();
    thread_.join();
  }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace tend::testing
