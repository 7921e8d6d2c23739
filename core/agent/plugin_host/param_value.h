// One plugin parameter read as the type its spec declares, from a task's JSON
// value or from text (a default, an allowed value, what tendctl sends).
//
// What each type accepts:
//   string    a JSON string
//   integer   a whole JSON number, or a string of digits ("200", "-3")
//   boolean   true or false, as JSON or as the strings "true" and "false"
//   duration  whole seconds, or a number with a unit: 90s, 5m, 2h, 7d, 1w
//   size      whole bytes, or a number with a unit: KB MB GB TB are powers
//             of 1000; KiB MiB GiB TiB and the bare K M G T are powers of 1024
//   list      a JSON array of strings, or one comma-separated string
#pragma once

#include <google/protobuf/struct.pb.h>
#include <tend/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"

namespace tend {

struct ParamValue {
  tend_param_type type = TEND_PARAM_STRING;
  std::string text{};                // as given; a list's items joined with ","
  int64_t number = 0;                // integer; duration in seconds; size in bytes
  bool flag = false;                 // boolean
  std::vector<std::string> items{};  // list
};

// What a value of `type` looks like, for messages: "a whole number".
std::string_view param_type_name(tend_param_type type);

// Errors say what was expected and what came, e.g.
// `expected a whole number, got "abc"`; the caller names the param.
Expected<ParamValue> param_from_text(tend_param_type type, std::string_view text);
Expected<ParamValue> param_from_json(tend_param_type type, const google::protobuf::Value& value);

}  // namespace tend
