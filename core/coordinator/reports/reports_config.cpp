#include "core/coordinator/reports/reports_config.h"

#include <fmt/format.h>

#include "core/common/time_zone.h"

namespace tend {
namespace {

Error in_file(const std::string& path, int64_t line, const std::string& problem) {
  return make_error(fmt::format("{}:{}: [reports] {}", path, line, problem));
}

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
  ReportsConfig config;
  const auto* section = doc.get_as<toml::table>("reports");
  if (section == nullptr) return config;
  for (const auto& [key, node] : *section) {
    const int64_t line = node.source().begin.line;
    const std::string name(key.str());
    if (name == "daily") {
      auto value = node.value<bool>();
      if (!value) return in_file(path, line, "daily must be true or false");
      config.daily = *value;
    } else if (name == "daily_at") {
      auto text = node.value<std::string>();
      auto at = text ? time_of_day(*text) : std::nullopt;
      if (!at) return in_file(path, line, "daily_at must be a local time such as \"08:00\"");
      config.daily_at = *at;
    } else if (name == "timezone") {
      auto text = node.value<std::string>();
      if (!text) return in_file(path, line, "timezone must be a string such as \"Europe/Berlin\"");
      if (!text->empty()) {
        if (auto zone = TimeZone::named(*text); !zone) {
          return in_file(path, line, "timezone: " + zone.error().message);
        }
      }
      config.timezone = *text;
    } else if (name == "daily_dir") {
      auto text = node.value<std::string>();
      if (!text) return in_file(path, line, "daily_dir must be a path");
      config.daily_dir = *text;
    } else if (name == "minutes_per_fix" || name == "minutes_per_maintained_host") {
      auto value = node.value<double>();
      if (!value || *value < 0 || *value > 24 * 60) {
        return in_file(path, line, name + " must be a number of minutes from 0 to 1440");
      }
      (name == "minutes_per_fix" ? config.minutes_per_fix : config.minutes_per_maintained_host) =
          *value;
    }
    // Any other key was refused by read_coordinator_config before this.
  }
  return config;
}

}  // namespace tend
