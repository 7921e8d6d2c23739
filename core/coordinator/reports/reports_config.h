// [reports] in coordinator.toml: when the morning digest goes out, where a
// copy is written, and the assumptions behind "engineer time saved".
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <string>

#include "bus/expected.h"

namespace tend {

struct ReportsConfig {
  bool daily = true;
  std::chrono::minutes daily_at{8 * 60};  // local time of day, "08:00"
  std::string timezone;                   // IANA; "" = the machine's own
  std::string daily_dir;                  // "" = no file
  // What an engineer would have spent by hand: on one alert's fix (paged,
  // logged in, looked, fixed, checked) and on one host of a maintenance run.
  double minutes_per_fix = 20;
  double minutes_per_maintained_host = 3;
};

Expected<ReportsConfig> read_reports_config(const toml::table& doc, const std::string& path);

}  // namespace tend
