#include "core/coordinator/queries/reply_budget.h"

namespace tend {
namespace {

// NATS headers (the Content-Type of a protobuf reply) and a margin.
constexpr size_t kHeadroom = 4096;
// A row's tag and length in protobuf; a comma and spacing in JSON.
constexpr size_t kRowOverhead = 8;

}  // namespace

ReplyBudget::ReplyBudget(size_t max_payload, Encoding encoding)
    : max_bytes_(max_payload > 2 * kHeadroom ? max_payload - kHeadroom : max_payload / 2),
      encoding_(encoding) {}

size_t ReplyBudget::size_of(const google::protobuf::Message& message) const {
  if (encoding_ == Encoding::kProtobuf) return message.ByteSizeLong();
  return encode(message, encoding_).size();
}

size_t ReplyBudget::row_cost(const google::protobuf::Message& row) const {
  return size_of(row) + kRowOverhead;
}

}  // namespace tend
