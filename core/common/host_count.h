// "5" hosts or "10%" of them, as operators write batch sizes and limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend {

struct HostCount {
  uint32_t value = 0;
  bool percent = false;

  // A whole number above 0, or a percentage above 0 and at most 100.
  static Expected<HostCount> parse(std::string_view text);

  // How many of `total` hosts: a share rounds up, so "10%" of 5 is 1, never
  // 0; never more than `total`.
  size_t of(size_t total) const;

  std::string text() const;
};

}  // namespace tend
