#include "bus/bounded_text.h"

namespace tend {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kCutMark = " [cut]";

// Length of the valid UTF-8 sequence starting text[i], or 0 when it is not one.
size_t sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

}  // namespace

std::string bounded_text(std::string_view text, size_t max_bytes) {
  const size_t budget = max_bytes < kCutMark.size() ? 0 : max_bytes - kCutMark.size();
  std::string out;
  size_t cut = std::string::npos;  // where the text ends should it turn out too long
  for (size_t i = 0; i < text.size();) {
    size_t length = sequence_length(text, i);
    std::string_view piece = length ? text.substr(i, length) : kReplacement;
    if (cut == std::string::npos && out.size() + piece.size() > budget) cut = out.size();
    if (out.size() + piece.size() > max_bytes) {
      out.resize(cut);
      out += kCutMark.substr(0, max_bytes - cut);
      return out;
    }
    out += piece;
    i += length ? length : 1;
  }
  return out;
}

std::string storable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t length = sequence_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else {
      if (!(length == 1 && text[i] == '\0')) out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace tend
