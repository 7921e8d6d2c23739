#include "bus/names.h"

#include <gtest/gtest.h>

#include <string>

#include "bus/subjects.h"

namespace tend {
namespace {

TEST(Names, LettersDigitsUnderscoreAndDashAreValid) {
  EXPECT_TRUE(is_valid_name("web-01"));
  EXPECT_TRUE(is_valid_name("db_primary"));
  EXPECT_TRUE(check_name("hostname", "Web-01_a"));
}

TEST(Names, DotsWildcardsSpacesAndEmptyAreRefusedWithTheReason) {
  for (const char* bad : {"web.01", "web*", ">", "a b", "web/01", ""}) {
    EXPECT_FALSE(is_valid_name(bad)) << bad;
  }
  auto ok = check_name("hostname", "web.01");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message,
            "hostname 'web.01' has '.': only letters, digits, '_' and '-' are allowed");
  EXPECT_EQ(check_name("role", "").error().message, "role is empty");
}

TEST(Names, ANameOverTheBoundIsRefusedWithoutBeingQuoted) {
  EXPECT_TRUE(check_name("task id", std::string(kMaxNameBytes, 'a'))) << "just at the limit";
  auto ok = check_name("task id", std::string(100'000, 'a'));
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message, "task id is 100000 bytes; the limit is 128");
  EXPECT_FALSE(is_valid_name(std::string(kMaxNameBytes + 1, 'a')));
}

TEST(Names, ABytePastPrintableAsciiIsShownAsItsValue) {
  auto ok = check_name("tag", std::string("a\0b\xff", 4));
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message,
            "tag 'a?b?' has byte 0x00: only letters, digits, '_' and '-' are allowed");
}

TEST(Subjects, AreBuiltFromThePrefix) {
  Subjects s;
  EXPECT_EQ(s.task_host("web-01"), "tend.task.host.web-01");
  EXPECT_EQ(s.task_role("db"), "tend.task.role.db");
  EXPECT_EQ(s.task_tag("nginx"), "tend.task.tag.nginx");
  EXPECT_EQ(s.task_all(), "tend.task.all");
  EXPECT_EQ(s.result("t1"), "tend.result.t1");
  EXPECT_EQ(s.summary("t1"), "tend.summary.t1");
  EXPECT_EQ(s.heartbeat("web-01"), "tend.heartbeat.web-01");
  EXPECT_EQ(Subjects("acme").submit(), "acme.submit");
  EXPECT_EQ(s.history(), "tend.history");
  EXPECT_EQ(s.show(), "tend.show");
  EXPECT_EQ(s.audit_tail(), "tend.audit.tail");
  EXPECT_EQ(Subjects("acme").audit_verify(), "acme.audit.verify");
  EXPECT_EQ(Subjects::last_token("tend.result.t-42"), "t-42");
}

}  // namespace
}  // namespace tend
