// Memory and swap from /proc/meminfo.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tend::host {

struct MemInfo {
  uint64_t total_bytes = 0;
  uint64_t available_bytes = 0;  // what new work can get without swapping
  uint64_t swap_total_bytes = 0;
  uint64_t swap_free_bytes = 0;

  uint64_t swap_used_bytes() const {
    return swap_total_bytes > swap_free_bytes ? swap_total_bytes - swap_free_bytes : 0;
  }
  // Share of memory not available, rounded to the nearest percent.
  int used_percent() const;
};

// nullopt when MemTotal is missing. Kernels before 3.14 have no
// MemAvailable: MemFree + Buffers + Cached stands in for it.
std::optional<MemInfo> parse_meminfo(std::string_view text);

}  // namespace tend::host
