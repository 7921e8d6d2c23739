#include "core/common/random_subset.h"

#include <algorithm>
#include <random>

namespace tend {

uint64_t fresh_seed() {
  std::random_device device;
  // Kept to 48 bits: short enough to read aloud and type back.
  return ((static_cast<uint64_t>(device()) << 32) | device()) & 0xFFFF'FFFF'FFFFULL;
}

std::vector<std::string> random_subset(std::vector<std::string> hosts, size_t count,
                                       uint64_t seed) {
  std::sort(hosts.begin(), hosts.end());
  hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  count = std::min(count, hosts.size());
  std::mt19937_64 random(seed);
  for (size_t i = 0; i < count; ++i) {
    const size_t remaining = hosts.size() - i;
    std::swap(hosts[i], hosts[i + static_cast<size_t>(random() % remaining)]);
  }
  hosts.resize(count);
  std::sort(hosts.begin(), hosts.end());
  return hosts;
}

}  // namespace tend
