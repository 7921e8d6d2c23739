#include "core/tendctl/session.h"

#include <cstdlib>
#include <iostream>

#include "schemas/task.pb.h"

namespace tend::tendctl {

std::unique_ptr<Session> Session::open(const GlobalOptions& options) {
  std::string server = options.server;
  if (server.empty()) {
    const char* env = std::getenv("NATS_URL");
    server = env && *env ? env : "nats://127.0.0.1:4222";
  }
  ConnectionOptions conn_options;
  conn_options.servers = {server};
  conn_options.name = "tendctl";
  conn_options.connect_timeout = options.connect_timeout;
  auto conn = Connection::connect(conn_options);
  if (!conn) {
    std::cerr << "tendctl: " << conn.error().message
              << "\n  is nats-server running? set --server or NATS_URL\n";
    return nullptr;
  }
  return std::unique_ptr<Session>(new Session(std::move(*conn), server, Subjects(options.prefix)));
}

Expected<Message> Session::ask(const std::string& subject, const google::protobuf::Message& request,
                               std::chrono::milliseconds timeout) {
  auto reply = conn_->request(subject, request, Encoding::kProtobuf, timeout);
  if (reply) return reply;
  std::string why = reply.error().message;
  if (why.find("nobody is listening") != std::string::npos) {
    why = "no coordinator is answering on " + subject + " at " + server_ +
          ": is tend-coordinator running and connected to this NATS?";
  }
  return make_error(why);
}

std::string refusal_in(const Message& reply) {
  tend::ErrorReply error;
  if (!reply.decode(error)) return {};
  return error.error();
}

}  // namespace tend::tendctl

namespace tend::tendctl {

std::string operator_name() {
  for (const char* var : {"SUDO_USER", "USER", "LOGNAME"}) {
    if (const char* v = std::getenv(var); v && *v) return v;
  }
  return "tendctl";
}

}  // namespace tend::tendctl
