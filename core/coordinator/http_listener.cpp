#include "core/coordinator/http_listener.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>

#include "core/common/input_bounds.h"
#include "core/coordinator/http_guard.h"

namespace tend {
namespace {

using namespace std::chrono_literals;

// httplib refuses a body past set_payload_max_length before reading it.
std::string too_large_text(const httplib::Request& req, size_t limit) {
  const std::string length = req.get_header_value("Content-Length");
  size_t bytes = 0;
  auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), bytes);
  if (ec == std::errc() && end == length.data() + length.size()) {
    if (auto ok = check_bytes("the body", bytes, limit); !ok) {
      return ok.error().message + " ([alerts] max_body)";
    }
  }
  return fmt::format("the body is larger than [alerts] max_body allows ({} bytes)", limit);
}

}  // namespace

Expected<std::unique_ptr<HttpListener>> HttpListener::start(
    const std::string& host, int port, const HttpLimits& limits,
    const std::function<void(httplib::Server&)>& routes, std::function<void()> refused) {
  std::unique_ptr<HttpListener> listener(new HttpListener());
  auto guarded = std::make_unique<GuardedServer>(limits, std::move(refused));
  GuardedServer& server = *guarded;
  listener->server_ = std::move(guarded);
  // Error answers httplib makes itself (413, 404, ...) say what went wrong.
  server.set_error_handler([&server](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string text = res.status == 413   ? too_large_text(req, server.payload_limit())
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
