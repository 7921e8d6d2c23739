#include "core/common/pattern.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

using ::testing::HasSubstr;

TEST(Pattern, MatchesTheWholeTextOrSearchesInIt) {
  auto pattern = Pattern::compile("[a-z]+-[0-9]+");
  ASSERT_TRUE(pattern) << pattern.error().message;
  EXPECT_TRUE(pattern->matches_whole("web-01"));
  EXPECT_FALSE(pattern->matches_whole("web-01 and more"));
  EXPECT_TRUE(pattern->found_in("host web-01 and more"));
  EXPECT_FALSE(pattern->found_in("WEB"));
  EXPECT_EQ(pattern->expression(), "[a-z]+-[0-9]+");
}

// The input that used to kill the agent: std::regex's recursive matcher ran
// out of stack on "^/.+" against 100 KB; RE2 is linear and does not recurse.
TEST(Pattern, AVeryLongTextIsMatchedWithoutRecursion) {
  auto pattern = Pattern::compile("^/.+");
  ASSERT_TRUE(pattern);
  std::string path = "/" + std::string(4 * 1024 * 1024, 'a');
  EXPECT_TRUE(pattern->matches_whole(path));
  EXPECT_FALSE(pattern->matches_whole("x" + path));
}

// What would backtrack exponentially in an ECMAScript engine is linear here.
TEST(Pattern, ACatastrophicBacktrackingPatternStaysLinear) {
  auto pattern = Pattern::compile("(a+)+$");
  ASSERT_TRUE(pattern);
  EXPECT_FALSE(pattern->matches_whole(std::string(100000, 'a') + "!"));
}

TEST(Pattern, ARefusedPatternSaysWhy) {
  auto broken = Pattern::compile("[a-z");
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message, HasSubstr("pattern [a-z does not compile: missing ]"));
  // Backreferences would need backtracking: RE2 has none.
  auto backreference = Pattern::compile("(a)\\1");
  ASSERT_FALSE(backreference);
  EXPECT_THAT(backreference.error().message, HasSubstr("does not compile"));
}

TEST(Pattern, ACachedPatternIsCompiledOnceAndShared) {
  auto first = Pattern::cached("^[0-9]+$");
  auto second = Pattern::cached("^[0-9]+$");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_EQ(&first->expression(), &second->expression()) << "one compiled pattern, two handles";
  EXPECT_TRUE(second->matches_whole("42"));
  EXPECT_FALSE(Pattern::cached("(unclosed"));
}

}  // namespace
}  // namespace tend
