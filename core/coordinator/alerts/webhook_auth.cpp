#include "core/coordinator/alerts/webhook_auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>

namespace tend::alerts {
namespace {

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool starts_with_word(std::string_view header, std::string_view word) {
  if (header.size() <= word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != word[i]) return false;
  }
  return header[word.size()] == ' ';
}

std::string base64_decode(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return "";
  out.resize(static_cast<size_t>(n));
  // EVP_DecodeBlock counts the padding as zero bytes.
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    if (!out.empty()) out.pop_back();
  }
  return out;
}

}  // namespace

bool WebhookAuth::allows(std::string_view authorization) const {
  if (token_.empty()) return true;
  if (starts_with_word(authorization, "bearer")) {
    return equal_constant_time(authorization.substr(7), token_);
  }
  if (starts_with_word(authorization, "basic")) {
    std::string pair = base64_decode(authorization.substr(6));
    auto colon = pair.find(':');
    return colon != std::string::npos &&
           equal_constant_time(std::string_view(pair).substr(colon + 1), token_);
  }
  return false;
}

}  // namespace tend::alerts
