// A received NATS message: owns the natsMsg, knows how it was encoded.
#pragma once

#include <string>
#include <string_view>

#include "bus/codec.h"
#include "bus/nats_handles.h"

namespace tend {

// A message to send: `payload` already encoded as `encoding` (protobuf gets
// its Content-Type header). `reply` may be empty.
Expected<nats::MsgPtr> make_message(std::string_view subject, std::string_view reply,
                                    const std::string& payload, Encoding encoding);

class Message {
 public:
  explicit Message(nats::MsgPtr msg) : msg_(std::move(msg)) {}

  std::string_view subject() const;
  std::string_view reply() const;  // empty when the sender expects no answer
  std::string_view data() const;
  // Empty when the header is absent.
  std::string_view header(const char* key) const;
  Encoding encoding() const;

  // For a message from a JetStream consumer: tells the server it is handled
  // for good, so it is never delivered again. Does not wait for the server.
  Expected<void> ack() const;

  // Decodes the payload into `out` by its Content-Type.
  Expected<void> decode(google::protobuf::Message& out) const {
    return tend::decode(data(), encoding(), out);
  }

 private:
  nats::MsgPtr msg_;
};

}  // namespace tend
