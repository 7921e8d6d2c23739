#include "bus/json_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

TEST(JsonDepth, CountsObjectsAndArraysOutsideStrings) {
  EXPECT_EQ(json_nesting_depth("42"), 0u);
  EXPECT_EQ(json_nesting_depth(R"({"a":1})"), 1u);
  EXPECT_EQ(json_nesting_depth(R"({"a":[1,{"b":[]}]})"), 4u);
  EXPECT_EQ(json_nesting_depth(R"({"a":"[[[{{{"})"), 1u);
  EXPECT_EQ(json_nesting_depth(R"({"a":"\"[[["})"), 1u) << "an escaped quote does not end it";
  EXPECT_EQ(json_nesting_depth(R"({"a":"\\"}, [[1]])"), 2u) << "an escaped backslash does";
}

TEST(JsonDepth, MeasuresMalformedTextAsFarAsItGoes) {
  EXPECT_EQ(json_nesting_depth(std::string(1'000'000, '[')), 1'000'000u);
  EXPECT_EQ(json_nesting_depth("]]]}}}[{"), 2u);
  EXPECT_EQ(json_nesting_depth(R"({"unterminated: [[[)"), 1u);
}

}  // namespace
}  // namespace tend
