#include "core/coordinator/http_listener.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

namespace tend {
namespace {

using namespace std::chrono_literals;

// Alertmanager and a status page need few at once; each request is quick.
constexpr size_t kThreads = 2;

}  // namespace

Expected<std::unique_ptr<HttpListener>> HttpListener::start(
    const std::string& host, int port, const std::function<void(httplib::Server&)>& routes) {
  std::unique_ptr<HttpListener> listener(new HttpListener());
  listener->server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *listener->server_;
  server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server.set_read_timeout(10s);
  server.set_write_timeout(10s);
  // Error answers httplib makes itself (413, 404, ...) say what went wrong.
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string text = res.status == 413   ? "the body is larger than [alerts] max_body allows"
                       : res.status == 404 ? fmt::format("no such path: {}", req.path)
                                           : fmt::format("HTTP status {}", res.status);
    res.set_content(text + "\n", "text/plain");
  });
  server.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        }
        spdlog::error("http: {} {} failed: {}", req.method, req.path, what);
        res.status = 500;
        res.set_content("internal error; the coordinator's log says more\n", "text/plain");
      });
  routes(server);
  if (port == 0) {
    listener->port_ = server.bind_to_any_port(host);
  } else if (server.bind_to_port(host, port)) {
    listener->port_ = port;
  }
  if (listener->port_ <= 0) {
    return make_error(
        fmt::format("[http] listen {}:{}: cannot listen there (in use, or not an "
                    "address of this machine)",
                    host, port));
  }
  listener->thread_ = std::thread([&server] { server.listen_after_bind(); });
  // stop() does nothing before the accept loop runs: wait for it.
  while (!server.is_running()) std::this_thread::sleep_for(1ms);
  spdlog::info("http: listening on {}:{}", host, listener->port_);
  return listener;
}

HttpListener::~HttpListener() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace tend
