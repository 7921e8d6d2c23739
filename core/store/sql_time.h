// Times in SQL, as tend passes them: microseconds since the epoch as a
// bigint, both ways (core/common/wall_time.h converts them further).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/wall_time.h"
#include "core/store/pg_connection.h"

namespace tend::store {

// "to_timestamp($n::double precision / 1000000)": parameter n as a timestamp.
std::string timestamp_param(int n);
// "(extract(epoch from c) * 1000000)::bigint": column c as microseconds.
std::string epoch_us(std::string_view column);
// A time as a parameter for timestamp_param: NULL for the zero time.
std::optional<std::string> time_value(int64_t micros_since_epoch);
// Row r's column c, read as epoch_us: the zero time for NULL.
WallTime time_at(const PgRows& rows, int r, int c);

}  // namespace tend::store
