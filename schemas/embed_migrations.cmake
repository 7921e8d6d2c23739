# Writes OUT, a C++ file defining tend::schema::migrations() from FILES
# (schemas/migrations/NNNN_name.sql, in order). Run by schemas/CMakeLists.txt.
set(entries "")
foreach(file IN LISTS FILES)
  get_filename_component(stem "${file}" NAME_WE)
  string(REGEX MATCH "^([0-9]+)_(.+)$" matched "${stem}")
  if(NOT matched)
    message(FATAL_ERROR "${file}: migrations are named NNNN_what.sql")
  endif()
  math(EXPR version "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  file(READ "${file}" sql)
  string(APPEND entries "    {${version}, \"${name}\", R\"tend_sql(${sql})tend_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from schemas/migrations/*.sql by embed_migrations.cmake.\n"
  "#include \"schemas/migrations.h\"\n\n"
  "namespace tend::schema {\n\n"
  "std::span<const Migration> migrations() {\n"
  "  static const Migration all[] = {\n${entries}  };\n"
  "  return all;\n}\n\n}  // namespace tend::schema\n")
file(RENAME "${OUT}.tmp" "${OUT}")
