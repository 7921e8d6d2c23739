#include "tests/fuzz/support/copy_text_reader.h"

#include <charconv>
#include <chrono>
#include <cstdint>

namespace tend::fuzz {
namespace {

int digit_value(char c, int base) {
  int v = c >= '0' && c <= '9'   ? c - '0'
          : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                 : 99;
  return v < base ? v : -1;
}

// One field's raw text without its backslash escapes.
std::string unescape(std::string_view raw) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out += raw[i];
      continue;
    }
    char c = raw[++i];
    int base = c == 'x' && i + 1 < raw.size() && digit_value(raw[i + 1], 16) >= 0 ? 16
               : digit_value(c, 8) >= 0                                           ? 8
                                                                                  : 0;
    if (base != 0) {
      size_t first = base == 16 ? i + 1 : i;
      size_t most = base == 16 ? 2 : 3;
      int value = 0;
      size_t n = 0;
      for (; n < most && first + n < raw.size() && digit_value(raw[first + n], base) >= 0; ++n) {
        value = value * base + digit_value(raw[first + n], base);
      }
      out += static_cast<char>(value);
      i = first + n - 1;
      continue;
    }
    switch (c) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      default:
        out += c;
    }
  }
  return out;
}

CopyRow read_line(std::string_view line) {
  CopyRow row;
  size_t start = 0;
  for (size_t i = 0;; ++i) {
    if (i < line.size() && line[i] == '\\') {
      ++i;  // the escaped character is never a separator
      continue;
    }
    if (i < line.size() && line[i] != '\t') continue;
    std::string_view raw = line.substr(start, i - start);
    row.push_back(raw == "\\N" ? CopyField() : CopyField(unescape(raw)));
    if (i >= line.size()) return row;
    start = i + 1;
  }
}

}  // namespace

Expected<std::vector<CopyRow>> read_copy_text(std::string_view data) {
  std::vector<CopyRow> rows;
  while (!data.empty()) {
    size_t end = 0;
    for (; end < data.size() && data[end] != '\n'; ++end) {
      if (data[end] == '\r') return make_error("a raw carriage return ends a row early");
      if (data[end] != '\\') continue;
      if (end + 1 == data.size()) return make_error("the data ends in a backslash");
      // PostgreSQL 15 takes \. anywhere as the end-of-data marker.
      if (data[end + 1] == '.') return make_error("\\. ends the data early");
      ++end;  // the escaped character, even a newline, belongs to the row
    }
    if (end == data.size()) return make_error("the last row has no newline");
    rows.push_back(read_line(data.substr(0, end)));
    data.remove_prefix(end + 1);
  }
  return rows;
}

Expected<std::vector<std::string>> read_text_array(std::string_view literal) {
  if (literal.size() < 2 || literal.front() != '{' || literal.back() != '}') {
    return make_error("an array literal is {...}");
  }
  std::vector<std::string> items;
  std::string_view rest = literal.substr(1, literal.size() - 2);
  while (!rest.empty()) {
    if (!items.empty()) {
      if (rest.front() != ',') return make_error("array items are separated by commas");
      rest.remove_prefix(1);
    }
    if (rest.empty() || rest.front() != '"') return make_error("an array item is quoted");
    std::string item;
    size_t i = 1;
    for (; i < rest.size() && rest[i] != '"'; ++i) {
      if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
      item += rest[i];
    }
    if (i >= rest.size()) return make_error("an array item's quote is not closed");
    items.push_back(std::move(item));
    rest.remove_prefix(i + 1);
  }
  return items;
}

Expected<std::string> read_bytea_hex(std::string_view text) {
  if (!text.starts_with("\\x") || text.size() % 2 != 0) return make_error("bytea hex is \\x..");
  std::string bytes;
  for (size_t i = 2; i < text.size(); i += 2) {
    int high = digit_value(text[i], 16), low = digit_value(text[i + 1], 16);
    if (high < 0 || low < 0) return make_error("bytea hex has a non-hex digit");
    bytes += static_cast<char>(high * 16 + low);
  }
  return bytes;
}

Expected<int64_t> read_timestamp_us(std::string_view text) {
  // YYYY-MM-DD HH:MM:SS.ffffff+00
  constexpr std::string_view kShape = "0000-00-00 00:00:00.000000+00";
  if (text.size() != kShape.size()) return make_error("a timestamp has 29 characters");
  for (size_t i = 0; i < kShape.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (kShape[i] == '0' ? !digit : text[i] != kShape[i]) {
      return make_error("a timestamp is YYYY-MM-DD HH:MM:SS.ffffff+00");
    }
  }
  auto number = [&](size_t at, size_t width) {
    int64_t v = 0;
    std::from_chars(text.data() + at, text.data() + at + width, v);
    return v;
  };
  using namespace std::chrono;
  const year_month_day day{year(static_cast<int>(number(0, 4))),
                           month(static_cast<unsigned>(number(5, 2))),
                           std::chrono::day(static_cast<unsigned>(number(8, 2)))};
  if (!day.ok() || number(11, 2) > 23 || number(14, 2) > 59 || number(17, 2) > 59) {
    return make_error("a timestamp names a time that does not exist");
  }
  const auto at = sys_days(day) + hours(number(11, 2)) + minutes(number(14, 2)) +
                  seconds(number(17, 2)) + microseconds(number(20, 6));
  return duration_cast<microseconds>(at.time_since_epoch()).count();
}

bool is_storable_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<uint8_t>(text[i]);
    auto at = [&](size_t k) { return i + k < text.size() ? static_cast<uint8_t>(text[i + k]) : 0; };
    auto cont = [&](size_t k) { return (at(k) & 0xC0) == 0x80; };
    size_t length = 0;
    if (c == 0) return false;
    if (c < 0x80)
      length = 1;
    else if (c >= 0xC2 && c <= 0xDF && cont(1))
      length = 2;
    else if (c == 0xE0 && at(1) >= 0xA0 && at(1) <= 0xBF && cont(2))
      length = 3;
    else if (c == 0xED && at(1) >= 0x80 && at(1) <= 0x9F && cont(2))
      length = 3;
    else if (c >= 0xE1 && c <= 0xEF && c != 0xED && cont(1) && cont(2))
      length = 3;
    else if (c == 0xF0 && at(1) >= 0x90 && at(1) <= 0xBF && cont(2) && cont(3))
      length = 4;
    else if (c >= 0xF1 && c <= 0xF3 && cont(1) && cont(2) && cont(3))
      length = 4;
    else if (c == 0xF4 && at(1) >= 0x80 && at(1) <= 0x8F && cont(2) && cont(3))
      length = 4;
    else
      return false;
    i += length;
  }
  return true;
}

}  // namespace tend::fuzz
