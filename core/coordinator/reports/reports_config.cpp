#include "core/coordinator/reports/reports_config.h"

#include <fmt/format.h>

#include "core/common/time_zone.h"
#include "core/common/toml_reader.h"

namespace tend {
namespace {

// "08:00" -> 480 minutes.
std::optional<std::chrono::minutes> time_of_day(const std::string& text) {
  int hours = -1, minutes = -1;
  char colon = 0;
  if (std::sscanf(text.c_str(), "%d%c%d", &hours, &colon, &minutes) != 3 || colon != ':' ||
      text.size() != 5 || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
    return std::nullopt;
  }
  return std::chrono::minutes(hours * 60 + minutes);
}

}  // namespace

Expected<ReportsConfig> read_reports_config(const toml::table& doc, const std::string& path) {
  const auto section = TomlReader::section(doc, "reports", path);
  ReportsConfig config;
  auto daily = section.flag("daily", config.daily);
  if (!daily) return daily.error();
  config.daily = *daily;
  if (const auto* node = section.node("daily_at")) {
    auto text = node->value_exact<std::string>();
    auto at = text ? time_of_day(*text) : std::nullopt;
    if (!at) return section.fail(*node, "daily_at", "must be a local time such as \"08:00\"");
    config.daily_at = *at;
  }
  auto zone = section.text("timezone", config.timezone);
  if (!zone) return zone.error();
  if (!zone->empty()) {
    if (auto named = TimeZone::named(*zone); !named) {
      return section.fail_because(*section.node("timezone"), "timezone", named.error().message);
    }
  }
  config.timezone = *zone;
  auto dir = section.text("daily_dir", config.daily_dir);
  if (!dir) return dir.error();
  config.daily_dir = *dir;
  auto per_fix = section.share("minutes_per_fix", config.minutes_per_fix, 0, 24 * 60);
  if (!per_fix) return per_fix.error();
  config.minutes_per_fix = *per_fix;
  auto per_host = section.share("minutes_per_maintained_host",
                                config.minutes_per_maintained_host, 0, 24 * 60);
  if (!per_host) return per_host.error();
  config.minutes_per_maintained_host = *per_host;
  // Any other key was refused by read_coordinator_config before this.
  return config;
}

}  // namespace tend
