#include "plugins/db-maintenance/table_name.h"

namespace tend::db_maintenance {
namespace {

bool check_part(std::string_view part, std::string_view what, std::string_view text,
                std::string& error) {
  if (part.empty()) {
    error = "table \"" + std::string(text) + "\" has an empty " + std::string(what) + " name";
    return false;
  }
  if (part.size() > kMaxIdentifierBytes) {
    error = "table \"" + std::string(text) + "\": the " + std::string(what) +
            " name is longer than " + std::to_string(kMaxIdentifierBytes) +
            " bytes, which PostgreSQL cannot store";
    return false;
  }
  for (unsigned char c : part) {
    if (c < 0x20 || c == 0x7f) {
      error = "table \"" + std::string(text) + "\" contains a control character";
      return false;
    }
  }
  return true;
}

}  // namespace

bool parse_table_name(std::string_view text, TableName& name, std::string& error) {
  size_t dot = text.find('.');
  std::string_view schema =
      dot == std::string_view::npos ? std::string_view() : text.substr(0, dot);
  std::string_view table = dot == std::string_view::npos ? text : text.substr(dot + 1);
  if (dot != std::string_view::npos && !check_part(schema, "schema", text, error)) return false;
  if (!check_part(table, "table", text, error)) return false;
  name = {std::string(schema), std::string(table)};
  return true;
}

}  // namespace tend::db_maintenance
