#include "core/store/copy_text.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "core/common/bounded_text.h"
#include "core/store/pg_connection.h"

namespace tend::store {

void CopyRows::separate() {
  if (fields_++ > 0) data_ += '\t';
}

// PostgreSQL text holds neither NUL bytes nor invalid UTF-8, and plugin
// output may have both: NULs are dropped, bad bytes become U+FFFD.
CopyRows& CopyRows::text(std::string_view value) {
  separate();
  for (char c : storable_text(value)) {
    switch (c) {
      case '\\':
        data_ += "\\\\";
        break;
      case '\t':
        data_ += "\\t";
        break;
      case '\n':
        data_ += "\\n";
        break;
      case '\r':
        data_ += "\\r";
        break;
      default:
        data_ += c;
    }
  }
  return *this;
}

CopyRows& CopyRows::null() {
  separate();
  data_ += "\\N";
  return *this;
}

CopyRows& CopyRows::optional(const std::optional<std::string>& value) {
  return value ? text(*value) : null();
}

CopyRows& CopyRows::integer(int64_t value) {
  separate();
  data_ += std::to_string(value);
  return *this;
}

CopyRows& CopyRows::real(double value) {
  separate();
  data_ += fmt::format("{}", value);
  return *this;
}

CopyRows& CopyRows::boolean(bool value) {
  separate();
  data_ += value ? 't' : 'f';
  return *this;
}

CopyRows& CopyRows::bytes(std::string_view value) { return text(PgConnection::bytea_text(value)); }

CopyRows& CopyRows::timestamp_us(int64_t micros) {
  separate();
  data_ += timestamp_text(micros);
  return *this;
}

CopyRows& CopyRows::end_row() {
  data_ += '\n';
  ++rows_;
  fields_ = 0;
  return *this;
}

// Array items are always quoted: then only '"' and '\' need escaping.
void CopyRows::append_array_item(std::string& out, std::string_view item) {
  out += '"';
  for (char c : item) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

std::string timestamp_text(int64_t micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  int64_t fraction = micros % 1'000'000;
  if (fraction < 0) fraction += 1'000'000, --seconds;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, fraction);
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tend::store
