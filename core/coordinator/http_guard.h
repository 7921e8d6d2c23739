// What keeps a slow or greedy HTTP client from holding the coordinator's
// listener, and with it Alertmanager's deliveries. cpp-httplib gives each
// connection a thread and times out each read, so a client that sends one
// byte every few seconds (slowloris) or opens hundreds of connections would
// hold every thread. Here:
//  - ConnectionThreads gives each connection a thread of its own, up to
//    [http] max_connections; one more is answered 503 at once, on the
//    accepting thread, naming the limit;
//  - GuardedServer admits at most max_connections_per_client from one
//    address (503 beyond), and gives each request request_timeout to arrive
//    whole and be answered: the time is counted over the whole request, not
//    per read, so dribbling bytes does not extend it. Between requests a
//    connection idles at most keep_alive_timeout, for at most
//    keep_alive_max_requests requests.
// So a slow client can hold a connection for request_timeout, and never more
// than its share of them.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/coordinator/limits_config.h"

namespace tend {

// httplib's task queue, one thread per connection up to a bound.
class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(size_t max_connections) : max_(max_connections) {}
  ~ConnectionThreads() override;

  // Runs `fn` (which serves one connection) on a thread of its own; with
  // max_connections busy, runs it here at once with no_room() true, so the
  // server answers 503 without reading anything.
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // True while the calling thread serves a connection that found no room.
  static bool no_room();
  size_t limit() const { return max_; }

 private:
  void work();

  const size_t max_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  size_t busy_ = 0;  // connections queued or being served
  size_t idle_ = 0;  // threads waiting for a job
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

class GuardedServer final : public httplib::Server {
 public:
  // `refused` hears each connection answered 503 (for the metrics), from
  // any thread.
  GuardedServer(HttpLimits limits, std::function<void()> refused);

  // [alerts] max_body as httplib enforces it, for the 413 text.
  size_t payload_limit() const { return payload_max_length_; }

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Past a bound: a 503 that names it, and the connection closed.
  void refuse(socket_t sock, const std::string& why, bool may_wait);
  // Counts one more connection from `client`, or says why not.
  Expected<void> admit(const std::string& client);
  void release(const std::string& client);

  const HttpLimits limits_;
  std::function<void()> refused_;
  std::mutex mu_;
  std::map<std::string, size_t> per_client_;  // open connections by client address
};

}  // namespace tend
