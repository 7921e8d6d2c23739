// Whatever tend stores goes through CopyRows into PostgreSQL's COPY text
// format, and comes back out of it as it went in. The input is a program of
// CopyRows calls (text, NULL, integers, reals, booleans, bytea, timestamps,
// text[] and row ends, with their values); the rows it writes are read back
// the way PostgreSQL reads them (support/copy_text_reader.h) and:
//
// - there are as many rows, each with as many fields, as were written, and
//   nothing ends the data early;
// - text that is valid UTF-8 without NUL comes back exactly; any other text
//   comes back as storable_text made it, and is always what a text column
//   accepts;
// - NULL comes back NULL and text that reads "\N" does not;
// - integers, reals (NaN and infinities too), booleans, bytes, timestamps
//   (years 1 to 9999) and text[] items come back equal.
#include "core/store/copy_text.h"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bus/bounded_text.h"
#include "tests/fuzz/support/copy_text_reader.h"
#include "tests/fuzz/support/fuzz_check.h"

namespace tend::fuzz {
namespace {

// The input, read as the values of the calls.
class Program {
 public:
  Program(const uint8_t* data, size_t size) : rest_(reinterpret_cast<const char*>(data), size) {}
  bool done() const { return rest_.empty(); }
  uint8_t byte() {
    auto b = take(1);
    return b.empty() ? 0 : static_cast<uint8_t>(b[0]);
  }
  template <typename T>
  T number() {
    T value{};
    auto bytes = take(sizeof(T));
    std::memcpy(&value, bytes.data(), bytes.size());
    return value;
  }
  // A length byte, then that many bytes (fewer at the end of the input).
  std::string text() { return std::string(take(byte())); }

 private:
  std::string_view take(size_t n) {
    auto part = rest_.substr(0, n);
    rest_.remove_prefix(part.size());
    return part;
  }
  std::string_view rest_;
};

struct Text {
  std::string value;
};
struct Null {};
struct Integer {
  int64_t value;
};
struct Real {
  double value;
};
struct Boolean {
  bool value;
};
struct Bytes {
  std::string value;
};
struct Timestamp {
  int64_t micros;
};
struct TextArray {
  std::vector<std::string> items;
};
using Written = std::variant<Text, Null, Integer, Real, Boolean, Bytes, Timestamp, TextArray>;

// 0001-01-01 and 9999-12-31 23:59:59.999999, the years the text form has digits for.
constexpr int64_t kFirstMicros = -62135596800'000'000;
constexpr int64_t kLastMicros = 253402300799'999'999;

int64_t in_years_1_to_9999(int64_t micros) {
  if (micros >= kFirstMicros && micros <= kLastMicros) return micros;
  const auto span = static_cast<uint64_t>(kLastMicros - kFirstMicros) + 1;
  return kFirstMicros + static_cast<int64_t>(static_cast<uint64_t>(micros) % span);
}

Written write_one(Program& in, store::CopyRows& rows) {
  switch (in.byte() % 8) {
    case 0: {
      std::string text = in.text();
      rows.text(text);
      return Text{text};
    }
    case 1:
      rows.null();
      return Null{};
    case 2: {
      auto value = in.number<int64_t>();
      rows.integer(value);
      return Integer{value};
    }
    case 3: {
      auto value = in.number<double>();
      rows.real(value);
      return Real{value};
    }
    case 4: {
      bool value = in.byte() & 1;
      rows.boolean(value);
      return Boolean{value};
    }
    case 5: {
      std::string bytes = in.text();
      rows.bytes(bytes);
      return Bytes{bytes};
    }
    case 6: {
      int64_t micros = in_years_1_to_9999(in.number<int64_t>());
      rows.timestamp_us(micros);
      return Timestamp{micros};
    }
    default: {
      std::vector<std::string> items(in.byte() % 8);
      for (auto& item : items) item = in.text();
      rows.text_array(items);
      return TextArray{items};
    }
  }
}

// What a text column holds after `value` went in.
void require_text(const std::string& stored, std::string_view value) {
  require(is_storable_utf8(stored), "stored text is valid UTF-8 without NUL");
  if (is_storable_utf8(value)) {
    require(stored == value, "valid UTF-8 text without NUL comes back exactly");
  } else {
    require(stored == storable_text(value), "other text comes back as storable_text made it");
  }
}

bool same_real(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

void require_same(const CopyField& field, const Written& written) {
  if (std::holds_alternative<Null>(written)) {
    require(!field.has_value(), "NULL comes back NULL");
    return;
  }
  require(field.has_value(), "only NULL comes back NULL");
  const std::string& s = *field;
  if (auto* text = std::get_if<Text>(&written)) require_text(s, text->value);
  if (auto* integer = std::get_if<Integer>(&written)) {
    int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    require(ec == std::errc() && end == s.data() + s.size() && value == integer->value,
            "an integer comes back equal");
  }
  if (auto* real = std::get_if<Real>(&written)) {
    char* end = nullptr;
    double value = std::strtod(s.c_str(), &end);
    require(!s.empty() && *end == '\0' && same_real(value, real->value), "a real comes back equal");
  }
  if (auto* boolean = std::get_if<Boolean>(&written)) {
    require(s == (boolean->value ? "t" : "f"), "a boolean comes back equal");
  }
  if (auto* bytes = std::get_if<Bytes>(&written)) {
    auto value = read_bytea_hex(s);
    require(value && *value == bytes->value, "bytes come back equal");
  }
  if (auto* timestamp = std::get_if<Timestamp>(&written)) {
    auto value = read_timestamp_us(s);
    require(value && *value == timestamp->micros, "a timestamp comes back equal");
  }
  if (auto* array = std::get_if<TextArray>(&written)) {
    require(is_storable_utf8(s), "a text[] literal is valid UTF-8 without NUL");
    auto items = read_text_array(s);
    require(items && items->size() == array->items.size(), "a text[] has as many items");
    for (size_t i = 0; i < items->size(); ++i) require_text((*items)[i], array->items[i]);
  }
}

}  // namespace
}  // namespace tend::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend::fuzz;
  Program in(data, size);
  tend::store::CopyRows rows;
  std::vector<std::vector<Written>> written(1);
  while (!in.done()) {
    if (in.byte() % 4 == 0 && !written.back().empty()) {  // a row ends now and then
      rows.end_row();
      written.emplace_back();
      continue;
    }
    written.back().push_back(write_one(in, rows));
  }
  if (written.back().empty()) {
    written.pop_back();
  } else {
    rows.end_row();
  }

  auto read = read_copy_text(rows.data());
  if (!read) broken("PostgreSQL reads every row CopyRows writes", read.error().message);
  require(read->size() == written.size() && rows.rows() == written.size(),
          "as many rows come back as were written");
  for (size_t r = 0; r < written.size(); ++r) {
    require((*read)[r].size() == written[r].size(), "each row comes back with all its fields");
    for (size_t f = 0; f < written[r].size(); ++f) require_same((*read)[r][f], written[r][f]);
  }
  return 0;
}
