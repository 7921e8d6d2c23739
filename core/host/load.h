// Load averages from /proc/loadavg, and the CPUs they are shared among.
#pragma once

#include <optional>
#include <string_view>

namespace tend::host {

struct LoadAverage {
  double one = 0;
  double five = 0;
  double fifteen = 0;
};

// "0.42 0.30 0.25 1/123 4567": the first three fields; nullopt if absent.
std::optional<LoadAverage> parse_loadavg(std::string_view text);

// CPUs online now (at least 1).
long online_cpus();

}  // namespace tend::host
