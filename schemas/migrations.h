// The PostgreSQL schema as numbered migrations (schemas/migrations/*.sql),
// compiled in. core/store/migrations.h applies them.
#pragma once

#include <span>

namespace tend::schema {

struct Migration {
  int version;       // from the file name: 0001_initial.sql is 1
  const char* name;  // "initial"
  const char* sql;
};

// In version order, without gaps.
std::span<const Migration> migrations();

}  // namespace tend::schema
