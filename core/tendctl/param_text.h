// Plugin parameters as operators type them on the command line: key=value.
//
// The value is sent typed when it reads as one, else as the string typed:
//   200, -3, 1.5, 1e3      a number (JSON's grammar: 0755 stays a string)
//   true, false            a boolean
//   [/var/log, /tmp]       a list of strings, split on commas
//   ["a,b", "c"]           a list of strings, when it is a JSON array of strings
// Numbers beyond 2^53, where a JSON number stops holding every integer exactly,
// stay strings (the agent reads a string of digits as an integer): no digit is
// lost on the way.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend::tendctl {

// For --help of the commands that take params.
inline constexpr const char* kParamHelp =
    "Parameters are key=value. A value that reads as a number (200, 1.5), true/false or a\n"
    "[list] (e.g. [/var/log,/tmp], or a JSON array of strings) is sent typed; anything\n"
    "else as the string typed.";

struct Param {
  std::string name;
  google::protobuf::Value value;
};

// Refuses text with no '=' or nothing before it.
Expected<Param> parse_param(std::string_view key_value);

google::protobuf::Value param_value(std::string_view text);

}  // namespace tend::tendctl
