// What every tendctl command shares: where NATS is, the subject prefix, and
// turning a failed request into the message and exit code an operator needs.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "bus/connection.h"
#include "bus/subjects.h"

namespace tend::tendctl {

struct GlobalOptions {
  std::string server;  // --server, else $NATS_URL, else nats://127.0.0.1:4222
  std::string prefix = "tend";
  std::chrono::milliseconds connect_timeout{2000};
};

class Session {
 public:
  // Prints why and returns nullptr when NATS cannot be reached.
  static std::unique_ptr<Session> open(const GlobalOptions& options);

  Connection& conn() { return *conn_; }
  const Subjects& subjects() const { return subjects_; }
  const std::string& server() const { return server_; }

  // A request to the coordinator; prints a clear message when nobody answers.
  Expected<Message> ask(const std::string& subject, const google::protobuf::Message& request,
                        std::chrono::milliseconds timeout);

 private:
  Session(std::unique_ptr<Connection> conn, std::string server, Subjects subjects)
      : conn_(std::move(conn)), server_(std::move(server)), subjects_(std::move(subjects)) {}

  NatsLibrary library_;  // last to go: after the connection
  std::unique_ptr<Connection> conn_;
  std::string server_;
  Subjects subjects_;
};

// Who is asking, for requested_by and the logs: $SUDO_USER, $USER or $LOGNAME.
std::string operator_name();

// A reply may be an ErrorReply (see schemas/task.proto): its message, or "".
std::string refusal_in(const Message& reply);

}  // namespace tend::tendctl
