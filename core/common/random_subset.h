// A random subset of hosts that can be chosen again: the same seed and the
// same hosts give the same subset on every machine (its own Fisher-Yates over
// mt19937_64, because std::shuffle's result differs between libraries).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tend {

// A seed from the system's entropy, for when the operator gave none.
uint64_t fresh_seed();

// `count` of `hosts`, chosen by `seed` from their sorted order, returned sorted.
std::vector<std::string> random_subset(std::vector<std::string> hosts, size_t count, uint64_t seed);

}  // namespace tend
