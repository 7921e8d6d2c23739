// Every part writes its audit entries one way.
#include "core/store/audit_entry.h"

#include <gtest/gtest.h>

namespace tend::store {
namespace {

TEST(AuditEntry, HoldsWhoWhatWhyAndTheDetailAsJsonText) {
  auto entry = audit_entry("alice", "schedule-pause", "nightly", "disk swap",
                           {{"seed", 7}, {"by", "tendctl"}}, "t-1");
  EXPECT_EQ(entry.actor, "alice");
  EXPECT_EQ(entry.action, "schedule-pause");
  EXPECT_EQ(entry.target, "nightly");
  EXPECT_EQ(entry.reason, "disk swap");
  EXPECT_EQ(entry.task_id, "t-1");
  EXPECT_EQ(entry.detail, R"({"by":"tendctl","seed":7})");
  EXPECT_EQ(entry.at_us, 0) << "the store stamps it when it writes";
}

TEST(AuditEntry, AnActorThatNamedNobodyIsRecordedAsUnknown) {
  EXPECT_EQ(audit_entry("", "control", "all").actor, "unknown");
  EXPECT_EQ(audit_entry("", "control", "all").detail, "{}");
}

TEST(AuditEntry, ADetailThatIsNotUtf8IsKeptWithReplacementCharacters) {
  auto entry = audit_entry("web-01", "result", "web-01", "", {{"error", "bad \xff byte"}});
  EXPECT_EQ(entry.detail, "{\"error\":\"bad \xEF\xBF\xBD byte\"}");
}

}  // namespace
}  // namespace tend::store
