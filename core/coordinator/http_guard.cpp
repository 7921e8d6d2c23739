#include "core/coordinator/http_guard.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>

#include "core/common/input_bounds.h"
#include "core/coordinator/throttled_warning.h"

namespace tend {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// How often a wait looks whether the server is stopping.
constexpr auto kStopCheck = 100ms;

thread_local bool t_no_room = false;

// A refused client gets this long to take its 503 before the socket closes.
constexpr auto kRefusalLinger = 100ms;

// The address of either end, as text ("127.0.0.1", "::1").
void address_of(socket_t sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  const int got = peer ? getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len)
                       : getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
  ip.clear();
  port = 0;
  if (got != 0) return;
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (addr.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &v4->sin_addr, text.data(), text.size());
    port = ntohs(v4->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &v6->sin6_addr, text.data(), text.size());
    port = ntohs(v6->sin6_port);
  }
  ip = text.data();
}

// One connection's bytes, with time counted per request rather than per
// read: a request must arrive whole before its deadline however its bytes
// are spread out. Reads are buffered, as httplib reads headers a byte at a
// time.
class DeadlineStream final : public httplib::Stream {
 public:
  DeadlineStream(socket_t sock, std::chrono::seconds write_timeout,
                 const std::atomic<socket_t>& server_socket)
      : sock_(sock), write_timeout_(write_timeout), server_socket_(server_socket) {}

  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }

  // Whether a request (or the start of one) is there before `until`.
  bool readable_before(Clock::time_point until) const {
    return begin_ < end_ || wait_for(POLLIN, until);
  }

  bool is_readable() const override { return readable_before(deadline_); }
  bool is_writable() const override { return wait_for(POLLOUT, Clock::now() + write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (begin_ == end_) {
      if (!is_readable()) return -1;
      const ssize_t got = ::recv(sock_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
      if (got <= 0) return got;
      begin_ = 0;
      end_ = static_cast<size_t>(got);
    }
    const size_t n = std::min(size, end_ - begin_);
    std::copy_n(buffer_.data() + begin_, n, ptr);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    return ::send(sock_, ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    address_of(sock_, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    address_of(sock_, false, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  // Polls in short steps, so a stopping server is noticed.
  bool wait_for(short events, Clock::time_point until) const {
    for (;;) {
      if (server_socket_ == INVALID_SOCKET) return false;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
      if (left <= 0ms) return false;
      pollfd p{sock_, events, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min(left, kStopCheck).count()));
      if (ready > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
      if (ready < 0 && errno != EINTR) return false;
    }
  }

  socket_t sock_;
  std::chrono::seconds write_timeout_;
  const std::atomic<socket_t>& server_socket_;
  Clock::time_point deadline_{};
  std::array<char, 4096> buffer_{};
  size_t begin_ = 0;
  size_t end_ = 0;
};

ThrottledWarning& refusals_log() {
  static ThrottledWarning log;
  return log;
}

}  // namespace

// --- ConnectionThreads ---------------------------------------------------------

ConnectionThreads::~ConnectionThreads() { shutdown(); }

bool ConnectionThreads::no_room() { return t_no_room; }

void ConnectionThreads::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    if (busy_ < max_ && !stopping_) {
      ++busy_;
      jobs_.push_back(std::move(fn));
      if (idle_ >= jobs_.size()) {
        ready_.notify_one();
      } else {
        threads_.emplace_back([this] { work(); });
      }
      return;
    }
  }
  // Served here and now: the server sees no_room() and only answers 503.
  t_no_room = true;
  fn();
  t_no_room = false;
}

void ConnectionThreads::shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void ConnectionThreads::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty()) return;  // stopping, nothing left to serve
    auto fn = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
    --busy_;
  }
}

// --- GuardedServer ---------------------------------------------------------------

GuardedServer::GuardedServer(HttpLimits limits, std::function<void()> refused)
    : limits_(limits), refused_(std::move(refused)) {
  const size_t max = limits_.max_connections;
  new_task_queue = [max] { return new ConnectionThreads(max); };
}

bool GuardedServer::process_and_close_socket(socket_t sock) {
  if (ConnectionThreads::no_room()) {
    refuse(sock,
           check_room("HTTP listener", limits_.max_connections, "connections open",
                      limits_.max_connections)
               .error()
               .message,
           /*may_wait=*/false);
    return false;
  }
  std::string client;
  int port = 0;
  address_of(sock, true, client, port);
  if (auto room = admit(client); !room) {
    refuse(sock, room.error().message, /*may_wait=*/true);
    return false;
  }
  DeadlineStream stream(sock, limits_.request_timeout, svr_sock_);
  bool served = false;
  for (size_t n = 1; n <= limits_.keep_alive_max_requests; ++n) {
    if (!stream.readable_before(Clock::now() + limits_.keep_alive_timeout)) break;
    stream.set_deadline(Clock::now() + limits_.request_timeout);
    bool closed = false;
    served = process_request(stream, n == limits_.keep_alive_max_requests, closed, nullptr);
    if (!served || closed) break;
  }
  release(client);
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return served;
}

Expected<void> GuardedServer::admit(const std::string& client) {
  std::lock_guard lock(mu_);
  auto it = per_client_.find(client);
  const size_t open = it == per_client_.end() ? 0 : it->second;
  if (auto room = check_room("HTTP listener", open, "connections open from " + client,
                             limits_.max_connections_per_client);
      !room) {
    return room;
  }
  ++per_client_[client];
  return {};
}

void GuardedServer::release(const std::string& client) {
  std::lock_guard lock(mu_);
  if (auto it = per_client_.find(client); it != per_client_.end() && --it->second == 0) {
    per_client_.erase(it);
  }
}

void GuardedServer::refuse(socket_t sock, const std::string& why, bool may_wait) {
  const std::string body = why + "\n";
  const std::string response = fmt::format(
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: "
      "{}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{}",
      body.size(), body);
  (void)::send(sock, response.data(), response.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(sock, SHUT_WR);
  // Closing with the request unread would reset the connection, and the
  // client might lose the 503 with it: read a little of it first.
  const auto until = Clock::now() + kRefusalLinger;
  std::array<char, 4096> sink{};
  while (may_wait && Clock::now() < until) {
    pollfd p{sock, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(kRefusalLinger.count())) <= 0) break;
    if (::recv(sock, sink.data(), sink.size(), MSG_DONTWAIT) <= 0) break;
  }
  ::close(sock);
  if (refused_) refused_();
  refusals_log().warn("http: connection refused: " + why);
}

}  // namespace tend
