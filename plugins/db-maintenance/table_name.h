// A table as a task names it: "schema.table" or "table", taken literally —
// case and all, as pg_class stores it — so no SQL quoting rules apply to what
// the task writes. The plugin looks a name up with it as a query parameter and
// quotes it with PQescapeIdentifier for VACUUM, so a name full of quotes and
// semicolons is just an odd name, never SQL.
#pragma once

#include <string>
#include <string_view>
#include <tend/expected.hpp>

namespace tend::db_maintenance {

struct TableName {
  std::string schema;  // empty: the first match on the search_path
  std::string table;

  // "schema.table" or "table", as the task wrote it.
  std::string display() const { return schema.empty() ? table : schema + "." + table; }
};

// PostgreSQL truncates identifiers beyond this many bytes (NAMEDATALEN - 1).
inline constexpr size_t kMaxIdentifierBytes = 63;

// The first '.' separates schema from table. Refuses an empty part, a part
// too long, or a control character.
Expected<TableName> parse_table_name(std::string_view text);

}  // namespace tend::db_maintenance
