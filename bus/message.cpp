#include "bus/message.h"

namespace tend {

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

Encoding Message::encoding() const { return encoding_for_content_type(header(kContentTypeHeader)); }

}  // namespace tend
