// How each parameter type reads what a task sends: JSON from `nats request`,
// strings from `tendctl run plugin key=value`, and text defaults.
#include "core/agent/plugin_host/param_value.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using google::protobuf::Value;

Value json_number(double d) {
  Value v;
  v.set_number_value(d);
  return v;
}
Value json_string(const std::string& s) {
  Value v;
  v.set_string_value(s);
  return v;
}
Value json_bool(bool b) {
  Value v;
  v.set_bool_value(b);
  return v;
}
Value json_list(std::initializer_list<Value> items) {
  Value v;
  for (const auto& item : items) *v.mutable_list_value()->add_values() = item;
  return v;
}

TEST(ParamValue, DurationsReadAsSeconds) {
  struct Case {
    const char* text;
    int64_t seconds;
  };
  for (auto [text, seconds] : {Case{"0", 0}, Case{"45", 45}, Case{"90s", 90}, Case{"5m", 300},
                               Case{"2h", 7200}, Case{"7d", 604800}, Case{"1w", 604800}}) {
    auto value = param_from_text(TEND_PARAM_DURATION, text);
    ASSERT_TRUE(value) << text << ": " << value.error().message;
    EXPECT_EQ(value->number, seconds) << text;
    EXPECT_EQ(value->text, text) << "the text stays as given, for messages";
  }
  EXPECT_EQ(param_from_json(TEND_PARAM_DURATION, json_number(600))->number, 600);
}

TEST(ParamValue, SizesReadAsBytes) {
  struct Case {
    const char* text;
    int64_t bytes;
  };
  for (auto [text, bytes] : {
           Case{"0", 0},
           Case{"512", 512},
           Case{"500MB", 500'000'000},  // decimal units are powers of 1000
           Case{"1KB", 1000},
           Case{"3GB", 3'000'000'000},
           Case{"2TB", 2'000'000'000'000},
           Case{"1KiB", 1024},  // binary units are powers of 1024
           Case{"2GiB", 2LL << 30},
           Case{"1TiB", 1LL << 40},
           Case{"10K", 10 * 1024},  // so are the bare letters, as du means them
           Case{"4M", 4LL << 20},
           Case{"1G", 1LL << 30},
           Case{"1T", 1LL << 40},
       }) {
    auto value = param_from_text(TEND_PARAM_SIZE, text);
    ASSERT_TRUE(value) << text << ": " << value.error().message;
    EXPECT_EQ(value->number, bytes) << text;
  }
  EXPECT_EQ(param_from_json(TEND_PARAM_SIZE, json_number(4096))->number, 4096);
}

TEST(ParamValue, IntegersComeAsWholeNumbersOrDigitStrings) {
  EXPECT_EQ(param_from_json(TEND_PARAM_INTEGER, json_number(200))->number, 200);
  EXPECT_EQ(param_from_json(TEND_PARAM_INTEGER, json_number(-3))->number, -3);
  EXPECT_EQ(param_from_json(TEND_PARAM_INTEGER, json_string("200"))->number, 200);
  EXPECT_EQ(param_from_json(TEND_PARAM_INTEGER, json_number(200))->text, "200");
}

TEST(ParamValue, BooleansComeAsJsonOrAsTheWordsTrueAndFalse) {
  EXPECT_TRUE(param_from_json(TEND_PARAM_BOOLEAN, json_bool(true))->flag);
  EXPECT_FALSE(param_from_json(TEND_PARAM_BOOLEAN, json_bool(false))->flag);
  EXPECT_TRUE(param_from_json(TEND_PARAM_BOOLEAN, json_string("true"))->flag);
  EXPECT_FALSE(param_from_json(TEND_PARAM_BOOLEAN, json_string("false"))->flag);
}

TEST(ParamValue, ListsComeAsArraysOrCommaSeparatedStrings) {
  auto from_array =
      param_from_json(TEND_PARAM_LIST, json_list({json_string("/var/log"), json_string("/tmp")}));
  ASSERT_TRUE(from_array);
  EXPECT_EQ(from_array->items, (std::vector<std::string>{"/var/log", "/tmp"}));
  EXPECT_EQ(from_array->text, "/var/log,/tmp");

  auto from_text = param_from_json(TEND_PARAM_LIST, json_string("/var/log, /tmp,"));
  ASSERT_TRUE(from_text);
  EXPECT_EQ(from_text->items, (std::vector<std::string>{"/var/log", "/tmp"}))
      << "items are trimmed and empty ones dropped";
  EXPECT_TRUE(param_from_text(TEND_PARAM_LIST, "")->items.empty());
}

TEST(ParamValue, StringsAreTakenAsTheyAre) {
  EXPECT_EQ(param_from_json(TEND_PARAM_STRING, json_string(" a, b "))->text, " a, b ");
}

TEST(ParamValue, WrongTypesSayWhatWasExpectedAndWhatCame) {
  struct Case {
    tend_param_type type;
    Value value;
    const char* message;
  };
  for (const auto& [type, value, message] : {
           Case{TEND_PARAM_INTEGER, json_string("soon"), "expected a whole number, got \"soon\""},
           Case{TEND_PARAM_INTEGER, json_number(1.5), "expected a whole number, got 1.5"},
           Case{TEND_PARAM_INTEGER, json_string("12abc"), "expected a whole number, got \"12abc\""},
           Case{TEND_PARAM_INTEGER, json_bool(true), "expected a whole number, got true"},
           Case{TEND_PARAM_STRING, json_number(5), "expected a string, got 5"},
           Case{TEND_PARAM_BOOLEAN, json_string("yes"), "expected true or false, got \"yes\""},
           Case{TEND_PARAM_BOOLEAN, json_number(1), "expected true or false, got 1"},
           Case{TEND_PARAM_DURATION, json_number(-5), "expected a duration"},
           Case{TEND_PARAM_DURATION, json_string("5 minutes"), "'5 minutes' is not a duration"},
           Case{TEND_PARAM_SIZE, json_string("lots"), "'lots' is not a size"},
           Case{TEND_PARAM_SIZE, json_number(0.5), "expected a size"},
           Case{TEND_PARAM_LIST, json_number(3), "expected a list of strings"},
           Case{TEND_PARAM_LIST, json_list({json_string("a"), json_number(2)}),
                "expected a list of strings, but item 2 is 2"},
       }) {
    auto parsed = param_from_json(type, value);
    ASSERT_FALSE(parsed) << message;
    EXPECT_NE(parsed.error().message.find(message), std::string::npos)
        << "got: " << parsed.error().message;
  }
}

TEST(ParamValue, NumbersTooLargeAreRefused) {
  EXPECT_FALSE(param_from_text(TEND_PARAM_INTEGER, "99999999999999999999"));
  EXPECT_FALSE(param_from_json(TEND_PARAM_INTEGER, json_number(1e19)));
  EXPECT_FALSE(param_from_text(TEND_PARAM_SIZE, "16777216TiB"));  // 2^64 bytes
}

}  // namespace
}  // namespace tend
