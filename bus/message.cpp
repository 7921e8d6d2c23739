#include "bus/message.h"

#include <fmt/format.h>

namespace tend {

Expected<nats::MsgPtr> make_message(std::string_view subject, std::string_view reply,
                                    const std::string& payload, Encoding encoding) {
  natsMsg* raw = nullptr;
  std::string subj(subject), rep(reply);
  natsStatus s = natsMsg_Create(&raw, subj.c_str(), rep.empty() ? nullptr : rep.c_str(),
                                payload.data(), static_cast<int>(payload.size()));
  if (s != NATS_OK)
    return make_error(fmt::format("cannot build message: {}", natsStatus_GetText(s)));
  nats::MsgPtr msg(raw);
  if (encoding == Encoding::kProtobuf) {
    s = natsMsgHeader_Set(raw, kContentTypeHeader, kProtobufContentType);
    if (s != NATS_OK)
      return make_error(fmt::format("cannot set header: {}", natsStatus_GetText(s)));
  }
  return msg;
}

std::string_view Message::subject() const {
  const char* s = natsMsg_GetSubject(msg_.get());
  return s ? s : "";
}

std::string_view Message::reply() const {
  const char* r = natsMsg_GetReply(msg_.get());
  return r ? r : "";
}

std::string_view Message::data() const {
  const char* d = natsMsg_GetData(msg_.get());
  return d ? std::string_view(d, natsMsg_GetDataLength(msg_.get())) : std::string_view();
}

std::string_view Message::header(const char* key) const {
  const char* value = nullptr;
  if (natsMsgHeader_Get(msg_.get(), key, &value) != NATS_OK || value == nullptr) return {};
  return value;
}

Expected<void> Message::ack() const {
  natsStatus s = natsMsg_Ack(msg_.get(), nullptr);
  if (s != NATS_OK) return make_error(std::string("cannot acknowledge: ") + natsStatus_GetText(s));
  return {};
}

Encoding Message::encoding() const { return encoding_for_content_type(header(kContentTypeHeader)); }

}  // namespace tend
