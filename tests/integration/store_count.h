// Numbers integration tests read straight from PostgreSQL, as an operator
// would with psql, to see what the programs stored.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/store/pg_connection.h"
#include "tests/support/eventually.h"

namespace tend::testing {

// A number read from the store, or -1 while it cannot be asked.
inline int64_t store_count(const std::string& url, const std::string& sql) {
  auto conn = store::PgConnection::connect(url, std::chrono::seconds(2));
  if (!conn) return -1;
  auto rows = (*conn)->query(sql);
  return rows && !rows->empty() ? rows->get_int(0, 0) : -1;
}

// Writes land in batches: polls `sql` until it reads `want` or `timeout`
// passes, and returns the last value read.
inline int64_t wait_for_count(const std::string& url, const std::string& sql, int64_t want,
                              std::chrono::seconds timeout = std::chrono::seconds(10)) {
  return read_until([&] { return store_count(url, sql); }, [&](int64_t got) { return got == want; },
                    timeout, std::chrono::milliseconds(50));
}

}  // namespace tend::testing
