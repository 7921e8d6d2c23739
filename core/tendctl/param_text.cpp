#include "core/tendctl/param_text.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "core/common/pattern.h"

namespace tend::tendctl {
namespace {

using google::protobuf::Value;

// Doubles hold every integer up to 2^53 exactly.
constexpr int64_t kLargestExactInteger = int64_t{1} << 53;

bool is_json_number(std::string_view text) {
  static const Pattern number =
      *Pattern::compile(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
  return number.matches_whole(text);
}

// Whether a JSON number carries `text` without change: a whole number must be
// within 2^53 (a double holds every integer up to there), any number finite.
bool number_survives_json(std::string_view text) {
  if (text.find_first_of(".eE") == std::string_view::npos) {
    int64_t whole = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
    return ec == std::errc() && whole <= kLargestExactInteger && whole >= -kLargestExactInteger;
  }
  return std::isfinite(std::strtod(std::string(text).c_str(), nullptr));
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

bool is_list_of_strings(const Value& value) {
  if (!value.has_list_value()) return false;
  for (const auto& item : value.list_value().values()) {
    if (!item.has_string_value()) return false;
  }
  return true;
}

// "[a, b]": the text between the brackets, split on commas.
Value list_value(std::string_view text) {
  Value json;
  if (google::protobuf::util::JsonStringToMessage(std::string(text), &json).ok() &&
      is_list_of_strings(json)) {
    return json;
  }
  Value value;
  auto* list = value.mutable_list_value();
  std::string_view inner = text.substr(1, text.size() - 2);
  while (!inner.empty()) {
    auto comma = inner.find(',');
    std::string_view item = trim(inner.substr(0, comma));
    if (!item.empty()) list->add_values()->set_string_value(std::string(item));
    if (comma == std::string_view::npos) break;
    inner.remove_prefix(comma + 1);
  }
  return value;
}

}  // namespace

Value param_value(std::string_view text) {
  Value value;
  if (text == "true" || text == "false") {
    value.set_bool_value(text == "true");
  } else if (is_json_number(text)) {
    if (number_survives_json(text)) {
      value.set_number_value(std::strtod(std::string(text).c_str(), nullptr));
    } else {
      value.set_string_value(std::string(text));
    }
  } else if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    return list_value(text);
  } else {
    value.set_string_value(std::string(text));
  }
  return value;
}

Expected<Param> parse_param(std::string_view key_value) {
  auto eq = key_value.find('=');
  if (eq == std::string_view::npos) {
    return make_error(
        fmt::format("parameter '{}' has no value: write {}=VALUE", key_value, key_value));
  }
  if (eq == 0) {
    return make_error(fmt::format("parameter '{}' has no name: write NAME=VALUE", key_value));
  }
  return Param{std::string(key_value.substr(0, eq)), param_value(key_value.substr(eq + 1))};
}

}  // namespace tend::tendctl
