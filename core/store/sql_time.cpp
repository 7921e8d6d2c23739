#include "core/store/sql_time.h"

#include <fmt/format.h>

namespace tend::store {

std::string timestamp_param(int n) {
  return fmt::format("to_timestamp(${}::double precision / 1000000)", n);
}

std::string epoch_us(std::string_view column) {
  return fmt::format("(extract(epoch from {}) * 1000000)::bigint", column);
}

std::optional<std::string> time_value(int64_t micros_since_epoch) {
  if (micros_since_epoch == 0) return std::nullopt;
  return std::to_string(micros_since_epoch);
}

WallTime time_at(const PgRows& rows, int r, int c) {
  return rows.is_null(r, c) ? WallTime{} : from_micros(rows.get_int(r, c));
}

}  // namespace tend::store
