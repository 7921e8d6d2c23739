// A received NATS message: owns the natsMsg, knows how it was encoded.
#pragma once

#include <string>
#include <string_view>

#include "bus/codec.h"
#include "bus/nats_handles.h"

namespace tend {

class Message {
 public:
  explicit Message(nats::MsgPtr msg) : msg_(std::move(msg)) {}

  std::string_view subject() const;
  std::string_view reply() const;  // empty when the sender expects no answer
  std::string_view data() const;
  // Empty when the header is absent.
  std::string_view header(const char* key) const;
  Encoding encoding() const;

  // Decodes the payload into `out` by its Content-Type.
  Expected<void> decode(google::protobuf::Message& out) const {
    return tend::decode(data(), encoding(), out);
  }

 private:
  nats::MsgPtr msg_;
};

}  // namespace tend
