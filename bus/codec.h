// On the wire a message is binary protobuf when it carries the header
// `Content-Type: application/protobuf`, and protobuf's JSON mapping (snake_case
// names) otherwise. A reply always uses the request's encoding.
#pragma once

#include <google/protobuf/message.h>

#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend {

enum class Encoding { kJson, kProtobuf };

inline constexpr const char* kContentTypeHeader = "Content-Type";
inline constexpr const char* kProtobufContentType = "application/protobuf";

Encoding encoding_for_content_type(std::string_view content_type);

// Unknown JSON fields are an error that names the field.
Expected<void> decode(std::string_view data, Encoding encoding, google::protobuf::Message& out);

std::string encode(const google::protobuf::Message& message, Encoding encoding);

// JSON with snake_case names and every field present, for people and tests.
std::string to_json(const google::protobuf::Message& message);

}  // namespace tend
