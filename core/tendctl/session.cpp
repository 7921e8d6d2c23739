#include "core/tendctl/session.h"

#include <fmt/format.h>

#include <cstdlib>

namespace tend::tendctl {
namespace {

// bus/connection.cpp reports a request that no subscriber received as
// "nobody is listening on ..." and one that got no answer in time as
// "no answer on ... within ...". tests/core/tendctl/session_test.cpp checks
// that these are still the words, against a real nats-server.
bool nobody_listening(const Error& error) {
  return error.message.find("nobody is listening") != std::string::npos;
}
bool timed_out(const Error& error) { return error.message.find("no answer") != std::string::npos; }

}  // namespace

std::string nats_url(const GlobalOptions& options) {
  if (!options.server.empty()) return options.server;
  const char* env = std::getenv("NATS_URL");
  return env && *env ? env : kDefaultNatsUrl;
}

Expected<std::unique_ptr<Session>> Session::open(const GlobalOptions& options) {
  std::string url = nats_url(options);
  ConnectionOptions conn_options;
  conn_options.servers = {url};
  conn_options.name = "tendctl";
  conn_options.connect_timeout = options.connect_timeout;
  auto conn = Connection::connect(conn_options);
  if (!conn) {
    return make_error(
        fmt::format("{}: is nats-server running there? Point tendctl at the right "
                    "one with --server URL or NATS_URL",
                    conn.error().message));
  }
  return std::unique_ptr<Session>(new Session(std::move(*conn), url, Subjects(options.prefix)));
}

Expected<Message> Session::ask(const std::string& subject, const google::protobuf::Message& request,
                               std::chrono::milliseconds timeout, std::string_view after_timeout) {
  auto reply = conn_->request(subject, request, Encoding::kProtobuf, timeout);
  if (reply) return reply;
  if (nobody_listening(reply.error())) {
    return make_error(fmt::format(
        "no coordinator is answering on {} at {}: is tend-coordinator running, connected to this "
        "NATS server and using the subject prefix '{}'?",
        subject, url_, subjects_.prefix()));
  }
  if (timed_out(reply.error())) {
    return make_error(fmt::format("the coordinator sent no answer on {} within {}s{}{}", subject,
                                  std::chrono::ceil<std::chrono::seconds>(timeout).count(),
                                  after_timeout.empty() ? "" : ": ", after_timeout));
  }
  return reply.error();
}

}  // namespace tend::tendctl
