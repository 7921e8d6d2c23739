#include "core/common/task_id.h"

#include <fmt/format.h>

#include <cstdint>
#include <random>

namespace tend {
namespace {

// FNV-1a: stable across processes, builds and machines, unlike std::hash.
uint64_t fnv1a(uint64_t hash, std::string_view data) {
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

std::string new_task_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return fmt::format("t-{:016x}", rng());
}

std::string derived_task_id(std::string_view subject, std::string_view reply,
                            std::string_view payload) {
  uint64_t h = 14695981039346656037ULL;
  h = fnv1a(h, subject);
  h = fnv1a(h, "\n");
  h = fnv1a(h, reply);
  h = fnv1a(h, "\n");
  h = fnv1a(h, payload);
  return fmt::format("d-{:016x}", h);
}

}  // namespace tend
