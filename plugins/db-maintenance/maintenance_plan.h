// Which tables a task works on, decided from their statistics alone (plain
// C++, no database): those with at least `min_dead_tuples` dead tuples, most
// first. Also the number formatting the reports share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plugins/db-maintenance/table_stats.h"

namespace tend::db_maintenance {

struct Plan {
  std::vector<TableStats> tables;           // to vacuum, most dead tuples first
  std::vector<TableStats> below_threshold;  // looked at, left alone

  int64_t dead_tuples() const;
};

Plan plan_maintenance(std::vector<TableStats> candidates, int64_t min_dead_tuples);

// 1234567 -> "1,234,567".
std::string thousands(int64_t value);

// "s.a (10,000), s.b (2,000) and 3 more": names with a number each.
std::string list_tables(const std::vector<std::string>& names, const std::vector<int64_t>& counts,
                        size_t shown = 5);

}  // namespace tend::db_maintenance
