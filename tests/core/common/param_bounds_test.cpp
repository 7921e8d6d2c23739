// A param's value, bounded whatever the plugin declares: strings, lists and
// their items, names.
#include "core/common/param_bounds.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

using google::protobuf::Value;

Value text(size_t bytes) {
  Value value;
  value.set_string_value(std::string(bytes, 'a'));
  return value;
}

Value list(size_t items, size_t item_bytes) {
  Value value;
  for (size_t i = 0; i < items; ++i) {
    value.mutable_list_value()->add_values()->set_string_value(std::string(item_bytes, 'a'));
  }
  return value;
}

std::string refusal(std::string_view name, const Value& value) {
  auto ok = check_param_bounds(name, value);
  return ok ? "accepted" : ok.error().message;
}

TEST(ParamBounds, AStringIsAtMost4096Bytes) {
  EXPECT_EQ(refusal("command", text(4096)), "accepted");
  EXPECT_EQ(refusal("command", text(4097)), "param 'command' is 4097 bytes; the limit is 4096");
  EXPECT_EQ(refusal("command", text(300'000)),
            "param 'command' is 300000 bytes; the limit is 4096");
}

TEST(ParamBounds, AListHasAtMost1024ItemsOfAtMost4096Bytes) {
  EXPECT_EQ(refusal("args", list(1024, 4096)), "accepted");
  EXPECT_EQ(refusal("args", list(1025, 1)), "param 'args' has 1025 items; the limit is 1024");
  Value args = list(3, 10);
  args.mutable_list_value()->add_values()->set_string_value(std::string(4097, 'b'));
  EXPECT_EQ(refusal("args", args), "param 'args' item 4 is 4097 bytes; the limit is 4096");
}

TEST(ParamBounds, ANameIsAtMost128BytesAndNeverQuotedWhenLonger) {
  Value one;
  one.set_number_value(1);
  EXPECT_EQ(refusal(std::string(128, 'n'), one), "accepted");
  EXPECT_EQ(refusal(std::string(100'000, 'n'), one),
            "param name is 100000 bytes; the limit is 128");
}

TEST(ParamBounds, NumbersAndBooleansHaveNoLengthToBound) {
  Value number;
  number.set_number_value(1e300);
  EXPECT_EQ(refusal("sleep_ms", number), "accepted") << "its range is the plugin's type's";
}

}  // namespace
}  // namespace tend
