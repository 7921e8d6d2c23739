#include "core/coordinator/alerts/alert.h"

#include <fmt/format.h>

#include <cstdint>

namespace tend::alerts {

std::string Alert::alertname() const {
  auto it = labels.find("alertname");
  return it == labels.end() ? std::string() : it->second;
}

std::string label_fingerprint(const Labels& labels) {
  constexpr uint64_t kOffset = 14695981039346656037ULL;
  constexpr uint64_t kPrime = 1099511628211ULL;
  uint64_t hash = kOffset;
  auto add = [&hash](std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash ^= c;
      hash *= kPrime;
    }
    hash ^= 0xff;
    hash *= kPrime;
  };
  for (const auto& [name, value] : labels) {  // std::map: sorted by name
    add(name);
    add(value);
  }
  return fmt::format("{:016x}", hash);
}

}  // namespace tend::alerts
