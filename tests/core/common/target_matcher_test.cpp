#include "core/common/target_matcher.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

const NodeIdentity kWeb01{"web-01", "web-server", {"production", "nginx"}};
const NodeIdentity kWeb02{"web-02", "web-server", {"staging"}};
const NodeIdentity kDb01{"db-01", "database", {"production"}};

tend::Target target(std::vector<std::string> hosts, std::vector<std::string> roles,
                    std::vector<std::string> tags, bool all = false) {
  tend::Target t;
  for (auto& h : hosts) t.add_hosts(h);
  for (auto& r : roles) t.add_roles(r);
  for (auto& g : tags) t.add_tags(g);
  t.set_all(all);
  return t;
}

TEST(TargetMatcher, AnyEntryWithinOneListMatches) {
  TargetMatcher m(target({"web-01", "db-01"}, {}, {}));
  EXPECT_TRUE(m.matches(kWeb01));
  EXPECT_TRUE(m.matches(kDb01));
  EXPECT_FALSE(m.matches(kWeb02));
}

TEST(TargetMatcher, EveryNonEmptyListMustMatch) {
  TargetMatcher m(target({}, {"web-server"}, {"production"}));
  EXPECT_TRUE(m.matches(kWeb01));
  EXPECT_FALSE(m.matches(kWeb02));  // right role, wrong tag
  EXPECT_FALSE(m.matches(kDb01));   // right tag, wrong role
}

TEST(TargetMatcher, AllMatchesEveryone) {
  TargetMatcher m(target({}, {}, {}, true));
  EXPECT_TRUE(m.matches(kWeb01));
  EXPECT_TRUE(m.matches(kDb01));
}

TEST(TargetMatcher, AnEmptyTargetMatchesNoOneAndIsRefused) {
  EXPECT_FALSE(TargetMatcher(tend::Target()).matches(kWeb01));
  auto ok = TargetMatcher::validate(tend::Target());
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("target is empty"), std::string::npos);
}

TEST(TargetMatcher, NamesThatCannotBeInASubjectAreRefused) {
  auto ok = TargetMatcher::validate(target({"web.01"}, {}, {}));
  ASSERT_FALSE(ok);
  EXPECT_NE(ok.error().message.find("target host 'web.01'"), std::string::npos);
}

TEST(TargetMatcher, DescribesATargetForPeople) {
  EXPECT_EQ(TargetMatcher::describe(target({"a", "b"}, {"web"}, {})), "hosts=a,b roles=web");
  EXPECT_EQ(TargetMatcher::describe(target({}, {}, {}, true)), "all");
}

}  // namespace
}  // namespace tend
