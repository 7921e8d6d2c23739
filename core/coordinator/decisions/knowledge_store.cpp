#include "core/coordinator/decisions/knowledge_store.h"

#include <fmt/format.h>

#include "core/common/wall_time.h"
#include "core/store/sql_time.h"

namespace tend::decisions {
namespace {

using store::epoch_us;
using store::time_at;
using store::time_value;
using store::timestamp_param;


}  // namespace

Expected<void> KnowledgeStore::load(KnowledgeBase& kb) {
  auto rows = db_.query(fmt::format(
      "SELECT pattern, plugin, prior, occurrences, attempts, successes, failures, "
      "consecutive_failures, last_outcome, {}, {}, override, override_by, override_reason, {} "
      "FROM knowledge_base",
      epoch_us("last_at"), epoch_us("first_seen"), epoch_us("override_at")));
  if (!rows) return rows.error();
  for (int r = 0; r < rows->size(); ++r) {
    KbEntry e;
    e.pattern = rows->get(r, 0);
    e.plugin = rows->get(r, 1);
    e.prior = std::stod(std::string(rows->get(r, 2)));
    e.occurrences = static_cast<uint64_t>(rows->get_int(r, 3));
    e.attempts = static_cast<uint64_t>(rows->get_int(r, 4));
    e.successes = static_cast<uint64_t>(rows->get_int(r, 5));
    e.failures = static_cast<uint64_t>(rows->get_int(r, 6));
    e.consecutive_failures = static_cast<uint64_t>(rows->get_int(r, 7));
    e.last_outcome = rows->get(r, 8);
    e.last_at = time_at(*rows, r, 9);
    e.first_seen = time_at(*rows, r, 10);
    e.override_tier = tier_from_name(rows->get(r, 11));
    e.override_by = rows->get(r, 12);
    e.override_reason = rows->get(r, 13);
    e.override_at = time_at(*rows, r, 14);
    kb.restore(std::move(e));
  }
  return {};
}

Expected<void> KnowledgeStore::save(const KbEntry& e) {
  return db_.exec(
      fmt::format(
          "INSERT INTO knowledge_base (pattern, plugin, prior, occurrences, attempts, successes, "
          "failures, consecutive_failures, last_outcome, last_at, first_seen, override, "
          "override_by, override_reason, override_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
          "$9, {}, {}, $12, $13, $14, {}) ON CONFLICT (pattern, plugin) DO UPDATE SET "
          "prior = EXCLUDED.prior, occurrences = EXCLUDED.occurrences, attempts = "
          "EXCLUDED.attempts, successes = EXCLUDED.successes, failures = EXCLUDED.failures, "
          "consecutive_failures = EXCLUDED.consecutive_failures, last_outcome = "
          "EXCLUDED.last_outcome, last_at = EXCLUDED.last_at, override = EXCLUDED.override, "
          "override_by = EXCLUDED.override_by, override_reason = EXCLUDED.override_reason, "
          "override_at = EXCLUDED.override_at",
          timestamp_param(10), timestamp_param(11), timestamp_param(15)),
      {e.pattern, e.plugin, fmt::format("{}", e.prior), std::to_string(e.occurrences),
       std::to_string(e.attempts), std::to_string(e.successes), std::to_string(e.failures),
       std::to_string(e.consecutive_failures), e.last_outcome, time_value(micros(e.last_at)),
       time_value(micros(e.first_seen)),
       e.override_tier ? std::string(tier_name(*e.override_tier)) : std::string(), e.override_by,
       e.override_reason, time_value(micros(e.override_at))});
}

Expected<void> KnowledgeStore::outcome(const KbEntry& e, bool verified, bool automatic,
                                       const std::string& task_id, int64_t incident_id) {
  return db_.exec(
      fmt::format("INSERT INTO kb_outcomes (pattern, plugin, at, outcome, automatic, task_id, "
                  "incident_id) VALUES ($1, $2, {}, $4, $5, $6, $7)",
                  timestamp_param(3)),
      {e.pattern, e.plugin, time_value(micros(e.last_at)), verified ? "verified" : "failed",
       automatic ? "true" : "false", task_id, std::to_string(incident_id)});
}

}  // namespace tend::decisions
