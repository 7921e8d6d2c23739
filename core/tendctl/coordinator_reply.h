// Reading what the coordinator answered. Any request it cannot serve is
// answered with an ErrorReply instead of the message asked for, so every
// reply is checked for one first.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "bus/codec.h"
#include "schemas/summary.pb.h"

namespace tend::tendctl {

// The coordinator's reason when `data` is an ErrorReply with a reason, else
// nothing.
std::optional<std::string> refusal_in(std::string_view data, Encoding encoding);

// The answer to tend.submit, sorted into what tendctl does next.
struct SubmitReply {
  enum class Kind {
    kSummary,     // the task ran: print `summary`
    kRefused,     // the coordinator refused it: `reason` is its own words
    kUnreadable,  // neither: `reason` says why
  };
  Kind kind;
  tend::Summary summary;
  std::string reason;
};

SubmitReply classify_reply(std::string_view data, Encoding encoding);

}  // namespace tend::tendctl
