#include "core/store/audit_chain.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <memory>

#include "core/store/copy_text.h"

namespace tend::store {
namespace {

constexpr const char* kChainLock = "SELECT pg_advisory_xact_lock(7415002)";
constexpr int kPage = 10'000;
constexpr const char* kColumns =
    "id, (extract(epoch from at) * 1000000)::bigint, actor, action, task_id, target, reason, "
    "detail, prev_hash, hash";

void field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += '\n';
}

std::string canonical(int64_t id, const AuditEntry& e) {
  std::string out = "tend-audit-v1\n";
  field(out, std::to_string(id));
  field(out, std::to_string(e.at_us));
  field(out, e.actor);
  field(out, e.action);
  field(out, e.task_id);
  field(out, e.target);
  field(out, e.reason);
  field(out, e.detail);
  return out;
}

AuditRow row_from(const PgRows& rows, int i) {
  AuditRow row;
  row.id = rows.get_int(i, 0);
  row.entry.at_us = rows.get_int(i, 1);
  row.entry.actor = rows.get(i, 2);
  row.entry.action = rows.get(i, 3);
  row.entry.task_id = rows.get(i, 4);
  row.entry.target = rows.get(i, 5);
  row.entry.reason = rows.get(i, 6);
  row.entry.detail = rows.get(i, 7);
  row.prev_hash = rows.get_bytes(i, 8);
  row.hash = rows.get_bytes(i, 9);
  return row;
}

std::string short_hex(std::string_view bytes) {
  std::string hex = PgConnection::bytea_text(bytes.substr(0, 6));
  return hex.substr(2) + "...";
}

}  // namespace

const std::string& genesis_hash() {
  static const std::string zeros(32, '\0');
  return zeros;
}

std::string audit_hash(int64_t id, const AuditEntry& entry, std::string_view prev_hash) {
  // Fetched once: OpenSSL 3 looks the implementation up again on every
  // EVP_DigestInit_ex given EVP_sha256(), which costs more than the hash.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  std::string content = canonical(id, entry);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestInit_ex(ctx.get(), sha256, nullptr);
  EVP_DigestUpdate(ctx.get(), prev_hash.data(), prev_hash.size());
  EVP_DigestUpdate(ctx.get(), content.data(), content.size());
  EVP_DigestFinal_ex(ctx.get(), digest, &size);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

Expected<void> append_audit(PgConnection& conn, const std::vector<AuditEntry>& entries) {
  if (entries.empty()) return {};
  if (auto ok = conn.exec(kChainLock); !ok) return ok.error();
  auto head = conn.query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1");
  if (!head) return head.error();
  int64_t id = head->empty() ? 0 : head->get_int(0, 0);
  std::string prev = head->empty() ? genesis_hash() : head->get_bytes(0, 1);

  CopyRows rows;
  for (const auto& entry : entries) {
    ++id;
    std::string hash = audit_hash(id, entry, prev);
    rows.integer(id)
        .timestamp_us(entry.at_us)
        .text(entry.actor)
        .text(entry.action)
        .text(entry.task_id)
        .text(entry.target)
        .text(entry.reason)
        .text(entry.detail)
        .bytes(prev)
        .bytes(hash)
        .end_row();
    prev = std::move(hash);
  }
  return conn.copy_in(
      "COPY audit_log (id, at, actor, action, task_id, target, reason, detail, prev_hash, hash) "
      "FROM STDIN",
      rows.data());
}

bool AuditChainChecker::check(const AuditRow& row) {
  if (result_.first_bad_id) return false;
  auto fail = [&](std::string problem) {
    result_.first_bad_id = row.id;
    result_.problem = std::move(problem);
    return false;
  };
  if (row.id != expected_id_) {
    return fail(fmt::format("row {} follows row {}: rows {} to {} are missing (deleted)", row.id,
                            expected_id_ - 1, expected_id_, row.id - 1));
  }
  if (row.prev_hash != prev_hash_) {
    return fail(
        fmt::format("row {} does not follow the row before it (its prev_hash {} is not "
                    "{}): rows were replaced or reordered",
                    row.id, short_hex(row.prev_hash), short_hex(prev_hash_)));
  }
  if (audit_hash(row.id, row.entry, row.prev_hash) != row.hash) {
    return fail(
        fmt::format("row {} ({} by {}) was altered after it was written: its content "
                    "no longer matches its hash",
                    row.id, row.entry.action, row.entry.actor));
  }
  ++result_.rows_checked;
  ++expected_id_;
  prev_hash_ = row.hash;
  result_.head_id = row.id;
  result_.head_hash = row.hash;
  return true;
}

Expected<AuditVerification> verify_audit_log(PgConnection& conn) {
  AuditChainChecker checker;
  int64_t after = 0;
  for (;;) {
    auto rows = conn.query(
        fmt::format("SELECT {} FROM audit_log WHERE id > $1 ORDER BY id LIMIT {}", kColumns, kPage),
        {std::to_string(after)});
    if (!rows) return rows.error();
    for (int i = 0; i < rows->size(); ++i) {
      if (!checker.check(row_from(*rows, i))) return checker.result();
    }
    if (rows->size() < kPage) break;
    after = rows->get_int(rows->size() - 1, 0);
  }
  return checker.result();
}

Expected<std::vector<AuditRow>> read_audit_tail(PgConnection& conn, int limit,
                                                const std::string& task_id) {
  auto rows = task_id.empty()
                  ? conn.query(fmt::format("SELECT * FROM (SELECT {} FROM audit_log ORDER BY id "
                                           "DESC LIMIT $1) newest ORDER BY 1",
                                           kColumns),
                               {std::to_string(limit)})
                  : conn.query(fmt::format("SELECT * FROM (SELECT {} FROM audit_log WHERE task_id "
                                           "= $2 ORDER BY id DESC LIMIT $1) newest ORDER BY 1",
                                           kColumns),
                               {std::to_string(limit), task_id});
  if (!rows) return rows.error();
  std::vector<AuditRow> out;
  for (int i = 0; i < rows->size(); ++i) out.push_back(row_from(*rows, i));
  return out;
}

}  // namespace tend::store
