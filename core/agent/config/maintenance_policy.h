// [maintenance] in agent.toml: when risky plugins may run on this node.
// Plugins at or above `risk` (and any named in `plugins`) run only inside
// one of `windows`, local time in `timezone`, and never on a `blackout`
// date; everything else runs any time. A task outside them is REJECTED with
// the reason, unless it is marked `force` and carries who approved it.
//
//   [maintenance]
//   timezone = "Europe/Berlin"
//   windows = ["Sun 01:00-05:00", "Mon-Fri 22:00-02:00"]   # an end before the start: past midnight
//   risk = "high"                     # low, medium or high
//   plugins = ["package-update"]
//   blackout = ["2026-12-24", "2026-12-28..2027-01-02"]
#pragma once

#include <toml++/toml.h>

#include <bitset>
#include <chrono>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "core/common/time_zone.h"
#include "core/common/toml_reader.h"
#include "core/common/wall_clock.h"
#include "schemas/task.pb.h"

namespace tend {

struct WeeklyWindow {
  std::bitset<7> days;  // 0 = Sunday: the day the window opens
  std::chrono::minutes start{0};
  std::chrono::minutes end{0};  // <= start: ends the next day
  std::string text;             // as written: "Sun 01:00-05:00"

  // "Sun 01:00-05:00", "Mon-Fri 22:00-02:00", "Sat,Sun 00:00-24:00", "* 02:00-04:00".
  static Expected<WeeklyWindow> parse(std::string_view text);
  bool contains(std::chrono::local_seconds t) const;
};

struct DateRange {
  std::chrono::local_days first;
  std::chrono::local_days last;
  std::string text;
  static Expected<DateRange> parse(std::string_view text);  // "2026-12-24" or "A..B"
};

class MaintenancePolicy {
 public:
  MaintenancePolicy() = default;  // no [maintenance]: everything runs any time

  // Nothing set when the section is absent.
  static Expected<MaintenancePolicy> read(const toml::table& doc, const std::string& path);

  bool enabled() const { return enabled_; }

  // Empty when `task` (its plugin of risk `plugin_risk`) may run at `now`;
  // else why it may not, in words for the result.
  std::string check(const tend::Task& task, const std::string& plugin_risk,
                    WallClock::time_point now) const;

 private:
  bool governs(const std::string& plugin, const std::string& risk) const;

  bool enabled_ = false;
  TimeZone zone_ = TimeZone::utc();
  std::vector<WeeklyWindow> windows_;
  int min_risk_ = 2;  // 0 low, 1 medium, 2 high
  std::vector<std::string> plugins_;
  std::vector<DateRange> blackout_;
};

// [maintenance] and the keys MaintenancePolicy::read reads.
const TomlSection& maintenance_section();

}  // namespace tend
