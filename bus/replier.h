// The one way a program answers a request: the answer, or a refusal naming
// why, in the encoding the request came in, on its reply subject. Every
// request handler goes through here, so how tend answers (and, later, whom
// it answers) is decided in one place.
#pragma once

#include <string>
#include <string_view>

#include "bus/codec.h"
#include "bus/connection.h"
#include "bus/message.h"

namespace tend {

// Where and how to answer a request.
struct Requester {
  std::string reply;  // empty: nobody is waiting for an answer
  Encoding encoding = Encoding::kJson;

  static Requester of(const Message& request) {
    return Requester{std::string(request.reply()), request.encoding()};
  }
};

class Replier {
 public:
  // `who` starts every log line ("coordinator", "alerts", "schedules").
  Replier(Connection& conn, std::string who) : conn_(conn), who_(std::move(who)) {}

  // Sends `message` to `to`, if anyone waits; a failed send is logged.
  void answer(const Requester& to, const google::protobuf::Message& message) const;
  // Answers with an ErrorReply carrying `why`.
  void refuse(const Requester& to, std::string_view why) const;

  void answer(const Message& request, const google::protobuf::Message& message) const {
    answer(Requester::of(request), message);
  }
  void refuse(const Message& request, std::string_view why) const {
    refuse(Requester::of(request), why);
  }

 private:
  Connection& conn_;
  const std::string who_;
};

}  // namespace tend
