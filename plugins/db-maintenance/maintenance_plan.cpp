#include "plugins/db-maintenance/maintenance_plan.h"

#include <algorithm>

namespace tend::db_maintenance {

int64_t Plan::dead_tuples() const {
  int64_t total = 0;
  for (const auto& table : tables) total += table.dead_tuples;
  return total;
}

Plan plan_maintenance(std::vector<TableStats> candidates, int64_t min_dead_tuples) {
  Plan plan;
  // The same table named twice is vacuumed once.
  std::sort(candidates.begin(), candidates.end(),
            [](const TableStats& a, const TableStats& b) { return a.oid < b.oid; });
  candidates.erase(
      std::unique(candidates.begin(), candidates.end(),
                  [](const TableStats& a, const TableStats& b) { return a.oid == b.oid; }),
      candidates.end());
  std::stable_sort(
      candidates.begin(), candidates.end(),
      [](const TableStats& a, const TableStats& b) { return a.dead_tuples > b.dead_tuples; });
  for (auto& table : candidates) {
    (table.dead_tuples >= min_dead_tuples ? plan.tables : plan.below_threshold)
        .push_back(std::move(table));
  }
  return plan;
}

std::string thousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string list_tables(const std::vector<std::string>& names, const std::vector<int64_t>& counts,
                        size_t shown) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < shown; ++i) {
    if (i > 0) out += ", ";
    out += names[i] + " (" + thousands(i < counts.size() ? counts[i] : 0) + ")";
  }
  if (names.size() > shown) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

}  // namespace tend::db_maintenance
