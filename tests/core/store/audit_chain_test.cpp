// The audit trail's hash chain: each row's hash covers its content and the
// row before, so any change, removal or reordering is caught at the first
// row it touches — and the database refuses changes outright.
#include "core/store/audit_chain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/core/store/store_test_database.h"

namespace tend::store {
namespace {

using ::testing::HasSubstr;

AuditEntry entry(std::string action, std::string reason = "") {
  AuditEntry e;
  e.at_us = 1'795'000'000'000'000;
  e.actor = "alice";
  e.action = std::move(action);
  e.task_id = "t-1";
  e.target = "roles=web-server";
  e.reason = std::move(reason);
  e.detail = R"({"plugin":"noop"})";
  return e;
}

std::vector<AuditRow> chain(std::vector<AuditEntry> entries) {
  std::vector<AuditRow> rows;
  std::string prev = genesis_hash();
  int64_t id = 0;
  for (auto& e : entries) {
    AuditRow row{++id, std::move(e), prev, {}};
    row.hash = audit_hash(row.id, row.entry, prev);
    prev = row.hash;
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(AuditHash, CoversEveryFieldAndThePreviousHash) {
  AuditEntry base = entry("submit");
  std::string h = audit_hash(1, base, genesis_hash());
  EXPECT_EQ(h.size(), 32u);
  EXPECT_EQ(h, audit_hash(1, base, genesis_hash())) << "the same content hashes the same";
  EXPECT_NE(h, audit_hash(2, base, genesis_hash())) << "id";
  EXPECT_NE(h, audit_hash(1, base, std::string(32, 'x'))) << "previous hash";
  for (auto change : std::vector<std::function<void(AuditEntry&)>>{
           [](AuditEntry& e) { e.at_us += 1; }, [](AuditEntry& e) { e.actor = "mallory"; },
           [](AuditEntry& e) { e.action = "dispatch"; }, [](AuditEntry& e) { e.task_id = "t-2"; },
           [](AuditEntry& e) { e.target = "all"; }, [](AuditEntry& e) { e.reason = "x"; },
           [](AuditEntry& e) { e.detail = "{}"; }}) {
    AuditEntry changed = base;
    change(changed);
    EXPECT_NE(audit_hash(1, changed, genesis_hash()), h);
  }
}

TEST(AuditHash, FieldBoundariesCannotBeShiftedUnnoticed) {
  AuditEntry a = entry("submit"), b = entry("submit");
  a.actor = "ab", a.action = "c";
  b.actor = "a", b.action = "bc";
  EXPECT_NE(audit_hash(1, a, genesis_hash()), audit_hash(1, b, genesis_hash()));
}

TEST(AuditChainChecker, AcceptsAnIntactChain) {
  AuditChainChecker checker;
  for (const auto& row : chain({entry("submit"), entry("dispatch"), entry("result")})) {
    EXPECT_TRUE(checker.check(row));
  }
  EXPECT_EQ(checker.result().rows_checked, 3);
  EXPECT_FALSE(checker.result().first_bad_id);
}

TEST(AuditChainChecker, NamesTheFirstAlteredRow) {
  auto rows = chain({entry("submit"), entry("dispatch"), entry("result")});
  rows[1].entry.reason = "nothing to see here";
  AuditChainChecker checker;
  EXPECT_TRUE(checker.check(rows[0]));
  EXPECT_FALSE(checker.check(rows[1]));
  EXPECT_EQ(checker.result().first_bad_id, 2);
  EXPECT_THAT(checker.result().problem, HasSubstr("row 2 (dispatch by alice) was altered"));
}

TEST(AuditChainChecker, NamesADeletedRowByTheGap) {
  auto rows = chain({entry("submit"), entry("dispatch"), entry("result")});
  AuditChainChecker checker;
  EXPECT_TRUE(checker.check(rows[0]));
  EXPECT_FALSE(checker.check(rows[2]));
  EXPECT_EQ(checker.result().first_bad_id, 3);
  EXPECT_THAT(checker.result().problem, HasSubstr("rows 2 to 2 are missing"));
}

TEST(AuditChainChecker, CatchesARowRehashedAfterAnEdit) {
  // An attacker who recomputes the edited row's own hash still breaks the
  // link to the next row.
  auto rows = chain({entry("submit"), entry("dispatch"), entry("result")});
  rows[1].entry.actor = "mallory";
  rows[1].hash = audit_hash(2, rows[1].entry, rows[1].prev_hash);
  AuditChainChecker checker;
  EXPECT_TRUE(checker.check(rows[0]));
  EXPECT_TRUE(checker.check(rows[1]));
  EXPECT_FALSE(checker.check(rows[2]));
  EXPECT_EQ(checker.result().first_bad_id, 3);
  EXPECT_THAT(checker.result().problem, HasSubstr("does not follow the row before it"));
}

class AuditLogTest : public StoreTest {};

TEST_F(AuditLogTest, AppendsAChainThatVerifies) {
  for (int batch = 0; batch < 3; ++batch) {
    auto tx = PgTransaction::begin(*conn_);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(append_audit(*conn_, {entry("submit"), entry("dispatch", "disk full")}));
    ASSERT_TRUE(tx->commit());
  }
  auto verified = verify_audit_log(*conn_);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->rows_checked, 6);
  EXPECT_FALSE(verified->first_bad_id) << verified->problem;

  auto tail = read_audit_tail(*conn_, 2);
  ASSERT_TRUE(tail) << tail.error().message;
  ASSERT_EQ(tail->size(), 2u);
  EXPECT_EQ((*tail)[0].id, 5);
  EXPECT_EQ((*tail)[1].entry.reason, "disk full");
  EXPECT_EQ((*tail)[1].entry.at_us, 1'795'000'000'000'000);
}

TEST_F(AuditLogTest, TheDatabaseRefusesUpdateDeleteAndTruncate) {
  auto tx = PgTransaction::begin(*conn_);
  ASSERT_TRUE(append_audit(*conn_, {entry("submit")}));
  ASSERT_TRUE(tx->commit());
  for (const char* sql :
       {"UPDATE audit_log SET reason = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"}) {
    auto ok = conn_->exec(sql);
    ASSERT_FALSE(ok) << sql;
    EXPECT_THAT(ok.error().message,
                ::testing::AnyOf(HasSubstr("append-only"), HasSubstr("permission denied")))
        << sql;
  }
  EXPECT_EQ(count("SELECT count(*) FROM audit_log"), 1);
}

TEST_F(AuditLogTest, ARowAlteredByASuperuserIsCaughtAndNamed) {
  auto tx = PgTransaction::begin(*conn_);
  ASSERT_TRUE(append_audit(*conn_, {entry("submit"), entry("dispatch"), entry("result")}));
  ASSERT_TRUE(tx->commit());
  // Someone with the keys to the database switches the guard off and edits.
  auto root = connect(db_->superuser_url());
  ASSERT_TRUE(root->exec("ALTER TABLE audit_log DISABLE TRIGGER USER"));
  ASSERT_TRUE(root->exec("UPDATE audit_log SET actor = 'mallory' WHERE id = 2"));
  ASSERT_TRUE(root->exec("ALTER TABLE audit_log ENABLE TRIGGER USER"));

  auto verified = verify_audit_log(*conn_);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->first_bad_id, 2);
  EXPECT_EQ(verified->rows_checked, 1);
  EXPECT_THAT(verified->problem, HasSubstr("row 2 (dispatch by mallory) was altered"));
}

TEST_F(AuditLogTest, ARowDeletedByASuperuserIsCaught) {
  auto tx = PgTransaction::begin(*conn_);
  ASSERT_TRUE(append_audit(*conn_, {entry("submit"), entry("dispatch"), entry("result")}));
  ASSERT_TRUE(tx->commit());
  auto root = connect(db_->superuser_url());
  ASSERT_TRUE(root->exec("ALTER TABLE audit_log DISABLE TRIGGER USER"));
  ASSERT_TRUE(root->exec("DELETE FROM audit_log WHERE id = 2"));
  auto verified = verify_audit_log(*conn_);
  ASSERT_TRUE(verified);
  EXPECT_EQ(verified->first_bad_id, 3);
}

}  // namespace
}  // namespace tend::store
