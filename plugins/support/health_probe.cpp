#include "plugins/support/health_probe.h"

#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tend::plugins {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

// How often a TCP connect in progress looks at the deadline and `cancelled`.
constexpr milliseconds kConnectSlice{50};

std::string seconds_text(milliseconds timeout) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(timeout.count()) / 1000.0);
  return text;
}

// The reason an HTTP request ended without an answer we could judge.
std::string http_failure(httplib::Error error, const ProbeTarget& target,
                         const ProbeOptions& options) {
  std::string where = target.host + ":" + std::to_string(target.port);
  switch (error) {
    case httplib::Error::Connection:
      return "could not connect to " + where + " (refused or unreachable)";
    case httplib::Error::ConnectionTimeout:
      return "no connection to " + where + " within " + seconds_text(options.timeout);
    case httplib::Error::Read:
      return "no complete answer from " + where + " within " + seconds_text(options.timeout);
    case httplib::Error::Write:
      return "could not send the request to " + where;
    case httplib::Error::SSLConnection:
      return "TLS handshake with " + where + " failed";
    case httplib::Error::SSLLoadingCerts:
      return options.ca_file.empty() ? "cannot load the system's CA certificates"
                                     : "cannot load CA certificates from " + options.ca_file;
    case httplib::Error::SSLServerVerification:
      return "the certificate of " + where + " did not verify" +
             (options.ca_file.empty() ? " against the system's CAs (a private CA goes in ca_file)"
                                      : " against " + options.ca_file);
    default:
      return "request to " + where + " failed: " + httplib::to_string(error);
  }
}

ProbeResult probe_http(const ProbeTarget& target, const ProbeOptions& options,
                       const std::function<bool()>& cancelled) {
  ProbeResult result;
  httplib::Client client(target.origin());
  if (!client.is_valid()) {
    result.reason = "cannot make an HTTP client for " + target.origin();
    return result;
  }
  client.set_connection_timeout(options.timeout);
  client.set_read_timeout(options.timeout);
  client.set_write_timeout(options.timeout);
  client.set_keep_alive(false);
  client.set_follow_location(false);
  if (target.kind == ProbeTarget::Kind::kHttps) {
    client.enable_server_certificate_verification(true);
    if (!options.ca_file.empty()) client.set_ca_cert_path(options.ca_file);
  }

  const auto started = Clock::now();
  const auto deadline = started + options.timeout;
  int status = 0;
  std::string body;
  bool stopped = false, late = false, enough = false;
  httplib::ResponseHandler on_response = [&](const httplib::Response& response) {
    status = response.status;
    return true;
  };
  // Called as the body arrives: the only place a slow answer can be cut short.
  httplib::ContentReceiver on_body = [&](const char* data, size_t size) {
    if (cancelled && cancelled()) {
      stopped = true;
      return false;
    }
    if (Clock::now() > deadline) {
      late = true;
      return false;
    }
    body.append(data, std::min(size, kProbeBodyLimit - body.size()));
    enough = body.size() >= kProbeBodyLimit;  // all `contains` looks at: stop reading
    return !enough;
  };
  httplib::Headers headers = {{"User-Agent", "tend-health-probe"}};
  auto response = client.Get(target.path, headers, on_response, on_body);
  result.latency = duration_cast<microseconds>(Clock::now() - started);

  if (response) status = response->status;  // also a 204, which has no body to hand over
  bool complete = response || (response.error() == httplib::Error::Canceled && enough);
  if (stopped) {
    result.reason = "stopped: the task was cancelled";
    return result;
  }
  if (late) {
    result.reason =
        "the answer from " + target.host + " took longer than " + seconds_text(options.timeout);
    return result;
  }
  if (!complete) {
    result.reason = http_failure(response.error(), target, options);
    return result;
  }
  result.answered = true;
  result.status = status;
  if (status != options.expect_status) {
    result.reason = "answered " + std::to_string(status) + ", expected " +
                    std::to_string(options.expect_status);
    return result;
  }
  if (!options.contains.empty() && body.find(options.contains) == std::string::npos) {
    result.reason = "answered " + std::to_string(status) + " but the body does not contain \"" +
                    options.contains + "\"";
    return result;
  }
  result.ok = true;
  return result;
}

// Closes the socket whichever way a connect attempt ends.
struct Socket {
  int fd = -1;
  ~Socket() {
    if (fd >= 0) close(fd);
  }
};

// Empty when connected; otherwise why not. `gave_up` is set when the
// deadline passed or the task was cancelled (no point trying more addresses).
std::string connect_one(const addrinfo& address, Clock::time_point deadline,
                        const std::function<bool()>& cancelled, bool& gave_up) {
  Socket sock{socket(address.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)};
  if (sock.fd < 0) return std::string("cannot make a socket: ") + std::strerror(errno);
  if (connect(sock.fd, address.ai_addr, address.ai_addrlen) == 0) return "";
  if (errno != EINPROGRESS) return std::strerror(errno);
  for (;;) {
    if (cancelled && cancelled()) {
      gave_up = true;
      return "stopped: the task was cancelled";
    }
    auto left = duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) {
      gave_up = true;
      return "";  // the caller words the timeout
    }
    pollfd pfd{sock.fd, POLLOUT, 0};
    int ready = poll(&pfd, 1, static_cast<int>(std::min(left, kConnectSlice).count()));
    if (ready < 0 && errno != EINTR) return std::strerror(errno);
    if (ready <= 0) continue;
    int error = 0;
    socklen_t size = sizeof error;
    if (getsockopt(sock.fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) error = errno;
    return error == 0 ? "" : std::strerror(error);
  }
}

ProbeResult probe_tcp(const ProbeTarget& target, const ProbeOptions& options,
                      const std::function<bool()>& cancelled) {
  ProbeResult result;
  const auto started = Clock::now();
  const auto deadline = started + options.timeout;
  std::string where = target.host + ":" + std::to_string(target.port);

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  int rc = getaddrinfo(target.host.c_str(), std::to_string(target.port).c_str(), &hints, &found);
  if (rc != 0) {
    result.reason = "cannot resolve " + target.host + ": " + gai_strerror(rc);
    return result;
  }
  std::string why;
  bool gave_up = false;
  for (addrinfo* a = found; a && !gave_up; a = a->ai_next) {
    why = connect_one(*a, deadline, cancelled, gave_up);
    if (why.empty() && !gave_up) break;
  }
  freeaddrinfo(found);
  result.latency = duration_cast<microseconds>(Clock::now() - started);
  if (gave_up && why.empty()) why = "no connection within " + seconds_text(options.timeout);
  if (!why.empty()) {
    result.reason = "could not connect to " + where + ": " + why;
    if (why.starts_with("stopped")) result.reason = why;
    return result;
  }
  result.answered = true;
  result.ok = true;
  return result;
}

}  // namespace

std::string format_latency(microseconds latency) {
  double ms = static_cast<double>(latency.count()) / 1000.0;
  char text[32];
  std::snprintf(text, sizeof text, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
  return text;
}

std::string ProbeResult::describe() const {
  if (!ok) return reason;
  if (status != 0) return "answered " + std::to_string(status) + " in " + format_latency(latency);
  return "accepted the connection in " + format_latency(latency);
}

ProbeResult probe(const ProbeTarget& target, const ProbeOptions& options,
                  const std::function<bool()>& cancelled) {
  ProbeResult result = target.is_http() ? probe_http(target, options, cancelled)
                                        : probe_tcp(target, options, cancelled);
  if (result.ok && options.max_latency && result.latency > *options.max_latency) {
    result.ok = false;
    result.reason = (target.is_http() ? "answered " + std::to_string(result.status) + " in "
                                      : std::string("connected in ")) +
                    format_latency(result.latency) + ", over the " +
                    format_latency(*options.max_latency) + " bound";
  }
  return result;
}

}  // namespace tend::plugins
