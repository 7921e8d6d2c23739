#include "plugins/db-maintenance/table_name.h"

namespace tend::db_maintenance {
namespace {

Expected<void> check_part(std::string_view part, std::string_view what, std::string_view text) {
  if (part.empty()) {
    return make_error("table \"" + std::string(text) + "\" has an empty " + std::string(what) +
                      " name");
  }
  if (part.size() > kMaxIdentifierBytes) {
    return make_error("table \"" + std::string(text) + "\": the " + std::string(what) +
                      " name is longer than " + std::to_string(kMaxIdentifierBytes) +
                      " bytes, which PostgreSQL cannot store");
  }
  for (unsigned char c : part) {
    if (c < 0x20 || c == 0x7f) {
      return make_error("table \"" + std::string(text) + "\" contains a control character");
    }
  }
  return {};
}

}  // namespace

Expected<TableName> parse_table_name(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view schema =
      dot == std::string_view::npos ? std::string_view() : text.substr(0, dot);
  std::string_view table = dot == std::string_view::npos ? text : text.substr(dot + 1);
  if (dot != std::string_view::npos) {
    if (auto checked = check_part(schema, "schema", text); !checked) return checked.error();
  }
  if (auto checked = check_part(table, "table", text); !checked) return checked.error();
  return TableName{std::string(schema), std::string(table)};
}

}  // namespace tend::db_maintenance
