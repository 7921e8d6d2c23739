#include "core/agent/plugin_host/param_value.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "core/common/byte_size.h"
#include "core/common/duration.h"

namespace tend {
namespace {

using google::protobuf::Value;

// Longer values are cut in messages: the operator needs to recognise it, not reread it.
constexpr size_t kQuoteLimit = 80;

std::string quote(std::string_view text) {
  if (text.size() <= kQuoteLimit) return fmt::format("\"{}\"", text);
  return fmt::format("\"{}...\"", text.substr(0, kQuoteLimit));
}

std::string describe(const Value& value) {
  switch (value.kind_case()) {
    case Value::kStringValue:
      return quote(value.string_value());
    case Value::kNumberValue:
      return fmt::format("{}", value.number_value());
    case Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case Value::kListValue:
      return "a list";
    case Value::kStructValue:
      return "an object";
    default:
      return "null";
  }
}

Error expected(tend_param_type type, const std::string& got) {
  return make_error(fmt::format("expected {}, got {}", param_type_name(type), got));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

ParamValue make_list(std::vector<std::string> items) {
  ParamValue value{.type = TEND_PARAM_LIST};
  value.text = fmt::format("{}", fmt::join(items, ","));
  value.items = std::move(items);
  return value;
}

Expected<ParamValue> list_from_text(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return make_list(std::move(items));
}

Expected<ParamValue> integer_from_text(std::string_view text) {
  int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec == std::errc::result_out_of_range) {
    return make_error(fmt::format("{} is out of range for a whole number", quote(text)));
  }
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return expected(TEND_PARAM_INTEGER, quote(text));
  }
  return ParamValue{.type = TEND_PARAM_INTEGER, .text = std::string(text), .number = number};
}

Expected<ParamValue> size_from_text(std::string_view text) {
  auto bytes = parse_byte_size(text);
  if (!bytes) return bytes.error();
  if (*bytes > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return make_error(fmt::format("{} is too large a size", quote(text)));
  }
  return ParamValue{
      .type = TEND_PARAM_SIZE, .text = std::string(text), .number = static_cast<int64_t>(*bytes)};
}

// JSON numbers are doubles: only whole ones in int64 range are integers.
bool is_whole(double d) {
  return std::isfinite(d) && d == std::floor(d) && d >= -0x1p63 && d < 0x1p63;
}

Expected<ParamValue> from_number(tend_param_type type, const Value& value) {
  double d = value.number_value();
  bool counts =
      type == TEND_PARAM_INTEGER || type == TEND_PARAM_DURATION || type == TEND_PARAM_SIZE;
  if (!counts || !is_whole(d)) return expected(type, describe(value));
  if (type != TEND_PARAM_INTEGER && d < 0) return expected(type, describe(value));
  auto number = static_cast<int64_t>(d);
  return ParamValue{.type = type, .text = std::to_string(number), .number = number};
}

Expected<ParamValue> from_list(tend_param_type type, const Value& value) {
  if (type != TEND_PARAM_LIST) return expected(type, describe(value));
  std::vector<std::string> items;
  for (int i = 0; i < value.list_value().values_size(); ++i) {
    const Value& item = value.list_value().values(i);
    if (item.kind_case() != Value::kStringValue) {
      return make_error(
          fmt::format("expected a list of strings, but item {} is {}", i + 1, describe(item)));
    }
    items.push_back(item.string_value());
  }
  return make_list(std::move(items));
}

}  // namespace

std::string_view param_type_name(tend_param_type type) {
  switch (type) {
    case TEND_PARAM_STRING:
      return "a string";
    case TEND_PARAM_INTEGER:
      return "a whole number";
    case TEND_PARAM_BOOLEAN:
      return "true or false";
    case TEND_PARAM_DURATION:
      return "a duration (seconds, or e.g. 90s, 5m, 2h, 7d, 1w)";
    case TEND_PARAM_SIZE:
      return "a size (bytes, or e.g. 500MB, 2GiB, 10K)";
    case TEND_PARAM_LIST:
      return "a list of strings or a comma-separated string";
  }
  return "a value of an unknown type";
}

Expected<ParamValue> param_from_text(tend_param_type type, std::string_view text) {
  switch (type) {
    case TEND_PARAM_STRING:
      return ParamValue{.type = type, .text = std::string(text)};
    case TEND_PARAM_INTEGER:
      return integer_from_text(text);
    case TEND_PARAM_BOOLEAN:
      if (text != "true" && text != "false") return expected(type, quote(text));
      return ParamValue{.type = type, .text = std::string(text), .flag = text == "true"};
    case TEND_PARAM_DURATION: {
      auto seconds = parse_duration(text);
      if (!seconds) return seconds.error();
      return ParamValue{.type = type, .text = std::string(text), .number = seconds->count()};
    }
    case TEND_PARAM_SIZE:
      return size_from_text(text);
    case TEND_PARAM_LIST:
      return list_from_text(text);
  }
  return make_error(fmt::format("unknown parameter type {}", static_cast<int>(type)));
}

Expected<ParamValue> param_from_json(tend_param_type type, const Value& value) {
  switch (value.kind_case()) {
    case Value::kStringValue:
      return param_from_text(type, value.string_value());
    case Value::kNumberValue:
      return from_number(type, value);
    case Value::kBoolValue:
      if (type != TEND_PARAM_BOOLEAN) return expected(type, describe(value));
      return ParamValue{.type = type, .text = describe(value), .flag = value.bool_value()};
    case Value::kListValue:
      return from_list(type, value);
    default:
      return expected(type, describe(value));
  }
}

}  // namespace tend
