// Rows in PostgreSQL's COPY text format: fields separated by tabs, rows by
// newlines, backslash escapes, \N for NULL. What COPY ... FROM STDIN reads,
// at hundreds of thousands of rows a second where single INSERTs manage a
// few thousand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tend::store {

class CopyRows {
 public:
  CopyRows& text(std::string_view value);
  CopyRows& null();
  CopyRows& optional(const std::optional<std::string>& value);
  CopyRows& integer(int64_t value);
  CopyRows& real(double value);
  CopyRows& boolean(bool value);
  CopyRows& bytes(std::string_view value);             // bytea
  CopyRows& timestamp_us(int64_t micros_since_epoch);  // timestamptz, UTC
  // A text[] column.
  template <typename Range>
  CopyRows& text_array(const Range& items) {
    std::string literal = "{";
    bool first = true;
    for (const auto& item : items) {
      if (!first) literal += ',';
      first = false;
      append_array_item(literal, item);
    }
    literal += '}';
    return text(literal);
  }
  CopyRows& end_row();

  const std::string& data() const { return data_; }
  size_t rows() const { return rows_; }
  bool empty() const { return rows_ == 0; }
  void clear() { data_.clear(), rows_ = 0, fields_ = 0; }

 private:
  void separate();
  static void append_array_item(std::string& out, std::string_view item);

  std::string data_;
  size_t rows_ = 0;
  size_t fields_ = 0;  // in the current row
};

// "2026-11-23 08:00:00.123456+00", which timestamptz reads exactly.
std::string timestamp_text(int64_t micros_since_epoch);
void append_timestamp(std::string& out, int64_t micros_since_epoch);

// Microseconds since the epoch, now.
int64_t now_us();

}  // namespace tend::store
