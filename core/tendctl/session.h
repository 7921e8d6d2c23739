// What every tendctl command shares: where NATS is, the subject prefix, and
// requests to the coordinator whose failures say what to check.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "bus/connection.h"
#include "bus/subjects.h"

namespace tend::tendctl {

inline constexpr const char* kDefaultNatsUrl = "nats://127.0.0.1:4222";

struct GlobalOptions {
  std::string server;  // --server; empty: $NATS_URL, else kDefaultNatsUrl
  std::string prefix = "tend";
  std::chrono::milliseconds connect_timeout{2000};
};

// --server, else $NATS_URL, else kDefaultNatsUrl.
std::string nats_url(const GlobalOptions& options);

class Session {
 public:
  // Fails fast (no retry) with a message that names the URL: exit 4.
  static Expected<std::unique_ptr<Session>> open(const GlobalOptions& options);

  Connection& conn() { return *conn_; }
  const Subjects& subjects() const { return subjects_; }

  // A request to the coordinator, sent as protobuf. When nobody answers, the
  // error says so in the operator's terms rather than NATS's; `after_timeout`
  // is added when the coordinator was there but did not answer in time.
  Expected<Message> ask(const std::string& subject, const google::protobuf::Message& request,
                        std::chrono::milliseconds timeout, std::string_view after_timeout = {});

 private:
  Session(std::unique_ptr<Connection> conn, std::string url, Subjects subjects)
      : conn_(std::move(conn)), url_(std::move(url)), subjects_(std::move(subjects)) {}

  std::unique_ptr<Connection> conn_;
  std::string url_;
  Subjects subjects_;
};

}  // namespace tend::tendctl
