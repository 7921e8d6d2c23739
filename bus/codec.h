// On the wire a message is binary protobuf when it carries the header
// `Content-Type: application/protobuf`, and protobuf's JSON mapping (snake_case
// names) otherwise. A reply always uses the request's encoding.
#pragma once

#include <google/protobuf/message.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "bus/expected.h"
#include "bus/json_depth.h"  // kMaxJsonDepth

namespace tend {

enum class Encoding { kJson, kProtobuf };

// Bounds on every message decoded here, checked before any parser runs
// (DESIGN.md: nothing crashes on input).
//
// 8 MiB: nats-server delivers at most its max_payload, 1 MiB unless
// configured, and advises against more than 8 MB; a bigger message can only
// come from a server configured beyond that, and is refused unread.
inline constexpr size_t kMaxMessageBytes = 8 * 1024 * 1024;
// Binary protobuf nests 3 levels for each JSON object inside a Struct (Value,
// Struct, map entry), so a message that passes the JSON bound needs at most
// 3 * 32 + a few in its binary form; 100 (protobuf's own default, said out
// loud here) admits every such message and nothing far deeper.
inline constexpr int kMaxProtobufDepth = 100;

inline constexpr const char* kContentTypeHeader = "Content-Type";
inline constexpr const char* kProtobufContentType = "application/protobuf";

Encoding encoding_for_content_type(std::string_view content_type);

// Unknown JSON fields are an error that names the field. A message over
// kMaxMessageBytes, JSON nested deeper than kMaxJsonDepth or protobuf deeper
// than kMaxProtobufDepth is refused with a message that names the bound.
Expected<void> decode(std::string_view data, Encoding encoding, google::protobuf::Message& out);

std::string encode(const google::protobuf::Message& message, Encoding encoding);

// JSON with snake_case names and every field present, for people and tests.
std::string to_json(const google::protobuf::Message& message);

}  // namespace tend
