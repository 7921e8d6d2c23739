// The audit trail's hash chain. Each row's hash is SHA-256 over the previous
// row's hash and the row's own content, so changing, removing or reordering
// any row breaks every hash after it: `tendctl audit verify` walks the chain
// and names the first row that does not fit. The database also refuses
// UPDATE, DELETE and TRUNCATE on the table (schemas/migrations/0001).
//
// What is hashed, version 1: "tend-audit-v1\n", then for each of id, at
// (microseconds since the epoch), actor, action, task_id, target, reason and
// detail: its byte length, ':', the bytes, '\n'.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"
#include "core/store/audit_entry.h"
#include "core/store/pg_connection.h"

namespace tend::store {

struct AuditRow {
  int64_t id = 0;
  AuditEntry entry;
  std::string prev_hash;  // 32 bytes
  std::string hash;       // 32 bytes
};

// The prev_hash of row 1.
const std::string& genesis_hash();

std::string audit_hash(int64_t id, const AuditEntry& entry, std::string_view prev_hash);

// Appends `entries` after the current head. Call inside a transaction: it
// takes the chain's lock until that transaction ends, so two coordinators
// never fork the chain.
Expected<void> append_audit(PgConnection& conn, const std::vector<AuditEntry>& entries);

struct AuditVerification {
  int64_t rows_checked = 0;
  std::optional<int64_t> first_bad_id;  // empty: the chain is intact
  std::string problem;                  // what is wrong with that row
  // The newest row that checks out and its SHA-256: kept elsewhere, they let
  // a later check tell that rows were removed from the end, which leaves no
  // gap in the chain itself.
  int64_t head_id = 0;
  std::string head_hash;  // 32 bytes; empty when no row checks out
};

// Checks rows one by one, in id order: ids without gaps from 1, each
// prev_hash the hash before it, each hash matching the content.
class AuditChainChecker {
 public:
  // False once a row breaks the chain; result() says which and why.
  bool check(const AuditRow& row);
  const AuditVerification& result() const { return result_; }

 private:
  AuditVerification result_;
  int64_t expected_id_ = 1;
  std::string prev_hash_ = genesis_hash();
};

// Reads the whole table in pages and checks it.
Expected<AuditVerification> verify_audit_log(PgConnection& conn);

// The newest `limit` rows (oldest first), optionally only one task's.
Expected<std::vector<AuditRow>> read_audit_tail(PgConnection& conn, int limit,
                                                const std::string& task_id = {});

}  // namespace tend::store
