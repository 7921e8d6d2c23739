#include "core/tendctl/coordinator_reply.h"

#include "schemas/task.pb.h"

namespace tend::tendctl {

std::optional<std::string> refusal_in(std::string_view data, Encoding encoding) {
  // ErrorReply's one field has a number (1000) that no other reply uses
  // (schemas/task.proto), so in protobuf any reply decodes as an ErrorReply
  // and only a real one has `error` set. In JSON a Summary's fields are
  // unknown to ErrorReply, so the decode fails: not a refusal either.
  tend::ErrorReply error;
  if (!decode(data, encoding, error) || error.error().empty()) return std::nullopt;
  return error.error();
}

SubmitReply classify_reply(std::string_view data, Encoding encoding) {
  if (auto reason = refusal_in(data, encoding)) {
    return {SubmitReply::Kind::kRefused, {}, std::move(*reason)};
  }
  SubmitReply reply{SubmitReply::Kind::kSummary, {}, {}};
  if (auto ok = decode(data, encoding, reply.summary); !ok) {
    return {SubmitReply::Kind::kUnreadable, {}, ok.error().message};
  }
  // The coordinator sets task_id on every summary; an empty or foreign
  // message decodes as a Summary too, but without one.
  if (reply.summary.task_id().empty()) {
    return {SubmitReply::Kind::kUnreadable, {}, "the answer is not a Summary (it has no task_id)"};
  }
  return reply;
}

}  // namespace tend::tendctl
