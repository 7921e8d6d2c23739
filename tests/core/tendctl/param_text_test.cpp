#include "core/tendctl/param_text.h"

#include <gtest/gtest.h>

namespace tend::tendctl {
namespace {

using google::protobuf::Value;

std::vector<std::string> strings_of(const Value& value) {
  std::vector<std::string> items;
  for (const auto& item : value.list_value().values()) items.push_back(item.string_value());
  return items;
}

TEST(ParamText, NumbersAndBooleansAreSentTyped) {
  EXPECT_EQ(param_value("200").number_value(), 200);
  EXPECT_EQ(param_value("-3").number_value(), -3);
  EXPECT_EQ(param_value("1.5").number_value(), 1.5);
  EXPECT_EQ(param_value("1e3").number_value(), 1000);
  EXPECT_TRUE(param_value("true").bool_value());
  EXPECT_TRUE(param_value("false").has_bool_value());
  EXPECT_FALSE(param_value("false").bool_value());
}

TEST(ParamText, WhatIsNotAJsonNumberStaysTheStringTyped) {
  for (const char* text : {"0755", "+5", "1.", ".5", "1_000", "inf", "nan", "5m", "2GiB", "True",
                           "null", "", "disk busy", "{\"a\":1}"}) {
    Value value = param_value(text);
    EXPECT_TRUE(value.has_string_value()) << text;
    EXPECT_EQ(value.string_value(), text);
  }
}

TEST(ParamText, IntegersBeyondWhatJsonHoldsExactlyStayStrings) {
  EXPECT_EQ(param_value("9007199254740992").number_value(), 9007199254740992.0);
  EXPECT_EQ(param_value("9007199254740993").string_value(), "9007199254740993");
  EXPECT_EQ(param_value("1e400").string_value(), "1e400");
}

TEST(ParamText, BracketsMakeAListOfStrings) {
  EXPECT_EQ(strings_of(param_value("[/var/log, /tmp]")),
            (std::vector<std::string>{"/var/log", "/tmp"}));
  EXPECT_EQ(strings_of(param_value("[80,443]")), (std::vector<std::string>{"80", "443"}));
  EXPECT_EQ(strings_of(param_value(R"(["a,b", "c"])")), (std::vector<std::string>{"a,b", "c"}));
  EXPECT_TRUE(param_value("[]").has_list_value());
  EXPECT_EQ(param_value("[]").list_value().values_size(), 0);
  EXPECT_EQ(param_value("/a,/b").string_value(), "/a,/b") << "the agent splits these itself";
}

TEST(ParamText, KeyValueSplitsAtTheFirstEquals) {
  auto param = parse_param("query=a=b");
  ASSERT_TRUE(param) << param.error().message;
  EXPECT_EQ(param->name, "query");
  EXPECT_EQ(param->value.string_value(), "a=b");
  auto empty = parse_param("reason=");
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->value.string_value(), "");
}

}  // namespace
}  // namespace tend::tendctl
