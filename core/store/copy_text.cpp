#include "core/store/copy_text.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "bus/bounded_text.h"
#include "core/store/pg_connection.h"

namespace tend::store {

void CopyRows::separate() {
  if (fields_++ > 0) data_ += '\t';
}

namespace {

// True when every byte can go into a text column as it is: ASCII without
// NUL (almost every field tend stores: ids, names, statuses, hex, JSON).
bool plain_ascii(std::string_view value) {
  for (unsigned char c : value) {
    if (c == 0 || c >= 0x80) return false;
  }
  return true;
}

// Appends `value` with COPY's backslash escapes, a run of ordinary bytes at
// a time.
void append_escaped(std::string& out, std::string_view value) {
  size_t run = 0;
  for (size_t i = 0; i < value.size(); ++i) {
    const char* escape = nullptr;
    switch (value[i]) {
      case '\\':
        escape = "\\\\";
        break;
      case '\t':
        escape = "\\t";
        break;
      case '\n':
        escape = "\\n";
        break;
      case '\r':
        escape = "\\r";
        break;
      default:
        continue;
    }
    out.append(value.data() + run, i - run);
    out.append(escape, 2);
    run = i + 1;
  }
  out.append(value.data() + run, value.size() - run);
}

}  // namespace

// PostgreSQL text holds neither NUL bytes nor invalid UTF-8, and plugin
// output may have both: NULs are dropped, bad bytes become U+FFFD.
CopyRows& CopyRows::text(std::string_view value) {
  separate();
  if (plain_ascii(value)) {
    append_escaped(data_, value);
  } else {
    append_escaped(data_, storable_text(value));
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

// bytea's hex form, "\\x" and two digits a byte, with its backslash escaped
// for COPY.
CopyRows& CopyRows::bytes(std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  separate();
  data_ += "\\\\x";
  size_t at = data_.size();
  data_.resize(at + 2 * value.size());
  for (unsigned char c : value) {
    data_[at++] = kHex[c >> 4];
    data_[at++] = kHex[c & 0xf];
  }
  return *this;
}

CopyRows& CopyRows::timestamp_us(int64_t micros) {
  separate();
  append_timestamp(data_, micros);
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

void append_timestamp(std::string& out, int64_t micros) {
  std::time_t seconds = static_cast<std::time_t>(micros / 1'000'000);
  int64_t fraction = micros % 1'000'000;
  if (fraction < 0) fraction += 1'000'000, --seconds;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  // "YYYY-MM-DD HH:MM:SS.ffffff+00", digit by digit: this runs for every
  // timestamp of every row stored.
  char text[] = "0000-00-00 00:00:00.000000+00";
  auto digits = [&](size_t at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i, value /= 10)
      text[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
  };
  digits(0, tm.tm_year + 1900, 4);
  digits(5, tm.tm_mon + 1, 2);
  digits(8, tm.tm_mday, 2);
  digits(11, tm.tm_hour, 2);
  digits(14, tm.tm_min, 2);
  digits(17, tm.tm_sec, 2);
  digits(20, fraction, 6);
  out.append(text, sizeof text - 1);
}

std::string timestamp_text(int64_t micros) {
  std::string text;
  append_timestamp(text, micros);
  return text;
}

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace tend::store
