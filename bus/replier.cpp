#include "bus/replier.h"

#include <spdlog/spdlog.h>

#include "schemas/task.pb.h"

namespace tend {

void Replier::answer(const Requester& to, const google::protobuf::Message& message) const {
  if (to.reply.empty()) return;
  if (auto ok = conn_.publish(to.reply, message, to.encoding); !ok) {
    spdlog::warn("{}: answer to {} not sent: {}", who_, to.reply, ok.error().message);
  }
}

void Replier::refuse(const Requester& to, std::string_view why) const {
  // Debug, not info: whoever floods a subject with bad requests must not
  // flood the log too. What a refusal means for the operator is logged by
  // the part that refused, where it matters.
  spdlog::debug("{}: request refused: {}", who_, why);
  tend::ErrorReply error;
  error.set_error(std::string(why));
  answer(to, error);
}

}  // namespace tend
