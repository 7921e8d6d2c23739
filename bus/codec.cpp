#include "bus/codec.h"

#include <fmt/format.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/util/json_util.h>

#include "bus/bounded_text.h"
#include "bus/json_depth.h"

namespace tend {
namespace {

// protobuf reports problems as "INVALID_ARGUMENT:<detail>"; keep the detail.
std::string strip_status_code(std::string_view status_text) {
  auto colon = status_text.find(':');
  if (colon != std::string_view::npos &&
      status_text.substr(0, colon).find(' ') == std::string::npos) {
    status_text.remove_prefix(colon + 1);
  }
  while (!status_text.empty() && status_text.front() == ' ') status_text.remove_prefix(1);
  return std::string(status_text);
}

// protobuf 3.21 says "colour: Cannot find field." (older releases "Cannot
// find field: colour"); either way the operator wants the field's name.
std::string describe_json_error(std::string detail) {
  constexpr std::string_view kSuffix = ": Cannot find field.";
  if (auto at = detail.find(kSuffix); at != std::string::npos) {
    return fmt::format("unknown field \"{}\"", detail.substr(0, at));
  }
  constexpr std::string_view kPrefix = "Cannot find field: ";
  if (auto at = detail.find(kPrefix); at != std::string::npos) {
    auto rest = detail.substr(at + kPrefix.size());
    return fmt::format("unknown field \"{}\"", rest.substr(0, rest.find_first_of(" \n")));
  }
  return detail;
}

// An error may quote the input (an unknown field's name); a hostile one must
// not come back whole, nor as bytes that are not UTF-8: protobuf would then
// refuse to send the refusal.
constexpr size_t kMaxDetailBytes = 200;

// The wording of core/common/input_bounds.h (bus cannot depend on core).
Expected<void> check_message_size(size_t bytes) {
  if (bytes <= kMaxMessageBytes) return {};
  return make_error(fmt::format("message is {} bytes; the limit is {}", bytes, kMaxMessageBytes));
}

Expected<void> decode_protobuf(std::string_view data, google::protobuf::Message& out) {
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(data.data()),
                                               static_cast<int>(data.size()));
  input.SetRecursionLimit(kMaxProtobufDepth);
  if (!out.ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    return make_error(
        fmt::format("malformed protobuf: not a valid {} message (or nested deeper "
                    "than {} levels)",
                    out.GetDescriptor()->name(), kMaxProtobufDepth));
  }
  return {};
}

Expected<void> decode_json(std::string_view data, google::protobuf::Message& out) {
  const auto& type = out.GetDescriptor()->name();
  if (data.empty()) {
    return make_error(fmt::format("empty message: expected a JSON {} object", type));
  }
  if (auto ok = check_json_depth(data); !ok) return ok;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(data.data(), data.size()), &out, options);
  if (!status.ok()) {
    return make_error(fmt::format(
        "invalid {} JSON: {}", type,
        bounded_text(describe_json_error(strip_status_code(status.ToString())), kMaxDetailBytes)));
  }
  return {};
}

}  // namespace

Encoding encoding_for_content_type(std::string_view content_type) {
  return content_type == kProtobufContentType ? Encoding::kProtobuf : Encoding::kJson;
}

Expected<void> decode(std::string_view data, Encoding encoding, google::protobuf::Message& out) {
  if (auto ok = check_message_size(data.size()); !ok) return ok;
  if (encoding == Encoding::kProtobuf) return decode_protobuf(data, out);
  return decode_json(data, out);
}

std::string encode(const google::protobuf::Message& message, Encoding encoding) {
  if (encoding == Encoding::kProtobuf) return message.SerializeAsString();
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string to_json(const google::protobuf::Message& message) {
  return encode(message, Encoding::kJson);
}

}  // namespace tend
