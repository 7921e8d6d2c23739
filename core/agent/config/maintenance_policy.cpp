#include "core/agent/config/maintenance_policy.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

#include "core/common/input_bounds.h"

namespace tend {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> kDays{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<std::string_view, 3> kRisks{"low", "medium", "high"};

// Bounds of [maintenance]: far more than any node's calendar needs.
constexpr size_t kMaxWindows = 64;
constexpr size_t kMaxPolicyPlugins = 256;
constexpr size_t kMaxBlackouts = 366;
constexpr size_t kMaxMaintenanceTextBytes = 128;  // a window, a date range, a zone, a plugin

int risk_level(std::string_view risk) {
  for (size_t i = 0; i < kRisks.size(); ++i) {
    if (kRisks[i] == risk) return static_cast<int>(i);
  }
  return -1;
}

Expected<int> day_of(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t i = 0; i < kDays.size(); ++i) {
    if (lower.substr(0, 3) == kDays[i] && (lower.size() == 3 || lower.size() >= 6)) {
      return static_cast<int>(i);
    }
  }
  return make_error(fmt::format("'{}' is not a day (Sun, Mon, ... Sat)", name));
}

Expected<minutes> time_of(std::string_view text) {
  int h = -1, m = -1;
  auto colon = text.find(':');
  if (colon == std::string_view::npos) return make_error(fmt::format("'{}' is not HH:MM", text));
  auto hours_text = text.substr(0, colon), minutes_text = text.substr(colon + 1);
  auto r1 = std::from_chars(hours_text.data(), hours_text.data() + hours_text.size(), h);
  auto r2 = std::from_chars(minutes_text.data(), minutes_text.data() + minutes_text.size(), m);
  if (r1.ec != std::errc() || r2.ec != std::errc() ||
      r2.ptr != minutes_text.data() + minutes_text.size() || minutes_text.size() != 2 || h < 0 ||
      m < 0 || m > 59 || h > 24 || (h == 24 && m != 0)) {
    return make_error(fmt::format("'{}' is not a time of day HH:MM (00:00 to 24:00)", text));
  }
  return hours(h) + minutes(m);
}

Expected<local_days> date_of(std::string_view text) {
  int y = 0;
  unsigned mo = 0, d = 0;
  std::string s(text);
  char extra = 0;
  if (std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &mo, &d, &extra) != 3 || s.size() != 10) {
    return make_error(fmt::format("'{}' is not a date YYYY-MM-DD", text));
  }
  year_month_day ymd{year{y}, month{mo}, day{d}};
  if (!ymd.ok()) return make_error(fmt::format("'{}' is not a date YYYY-MM-DD", text));
  return local_days{ymd};
}

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

Expected<WeeklyWindow> WeeklyWindow::parse(std::string_view text) {
  WeeklyWindow w;
  w.text = trim(text);
  auto space = w.text.find(' ');
  if (space == std::string::npos) {
    return make_error(
        fmt::format("window '{}' is not \"DAYS HH:MM-HH:MM\" (e.g. \"Sun 01:00-05:00\")", text));
  }
  std::string_view days_text = std::string_view(w.text).substr(0, space);
  std::string_view times = std::string_view(w.text).substr(space + 1);
  if (days_text == "*" || days_text == "daily") {
    w.days.set();
  } else {
    size_t start = 0;
    while (start <= days_text.size()) {
      auto comma = days_text.find(',', start);
      auto item =
          days_text.substr(start, comma == std::string_view::npos ? days_text.npos : comma - start);
      auto dash = item.find('-');
      auto first = day_of(item.substr(0, dash));
      if (!first) return make_error(fmt::format("window '{}': {}", text, first.error().message));
      int last = *first;
      if (dash != std::string_view::npos) {
        auto l = day_of(item.substr(dash + 1));
        if (!l) return make_error(fmt::format("window '{}': {}", text, l.error().message));
        last = *l;
      }
      for (int d = *first;; d = (d + 1) % 7) {  // Fri-Mon wraps over the weekend
        w.days.set(d);
        if (d == last) break;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  auto dash = times.find('-');
  if (dash == std::string_view::npos) {
    return make_error(fmt::format("window '{}': times are HH:MM-HH:MM", text));
  }
  auto from = time_of(trim(times.substr(0, dash)));
  if (!from) return make_error(fmt::format("window '{}': {}", text, from.error().message));
  auto to = time_of(trim(times.substr(dash + 1)));
  if (!to) return make_error(fmt::format("window '{}': {}", text, to.error().message));
  w.start = *from;
  w.end = *to;
  return w;
}

bool WeeklyWindow::contains(local_seconds t) const {
  const auto day = floor<std::chrono::days>(t);
  const auto into = floor<minutes>(t - day);
  const unsigned weekday_today = weekday{day}.c_encoding();
  if (start < end) return days[weekday_today] && into >= start && into < end;
  // Past midnight: the evening part today, or the morning part of a window
  // that opened yesterday.
  const unsigned yesterday = (weekday_today + 6) % 7;
  return (days[weekday_today] && into >= start) || (days[yesterday] && into < end);
}

Expected<DateRange> DateRange::parse(std::string_view text) {
  DateRange r;
  r.text = trim(text);
  auto dots = r.text.find("..");
  auto first = date_of(std::string_view(r.text).substr(0, dots));
  if (!first) return first.error();
  r.first = r.last = *first;
  if (dots != std::string::npos) {
    auto last = date_of(std::string_view(r.text).substr(dots + 2));
    if (!last) return last.error();
    if (*last < *first) return make_error(fmt::format("'{}' ends before it starts", text));
    r.last = *last;
  }
  return r;
}

Expected<MaintenancePolicy> MaintenancePolicy::read(const toml::table& doc,
                                                    const std::string& path) {
  MaintenancePolicy policy;
  const auto* section = doc.get_as<toml::table>("maintenance");
  if (section == nullptr) return policy;
  policy.enabled_ = true;
  auto bad = [&](const toml::node& node, std::string_view key, const std::string& problem) {
    return make_error(
        fmt::format("{}:{}: [maintenance] {}: {}", path, node.source().begin.line, key, problem));
  };
  if (auto ok = refuse_unknown_keys(*section, "[maintenance]", maintenance_section().keys, path);
      !ok) {
    return ok.error();
  }
  // "agent.toml:12: [maintenance] windows has 100 items; the limit is 64".
  auto out_of_bounds = [&](const toml::node& node, const Error& error) {
    return make_error(fmt::format("{}:{}: {}", path, node.source().begin.line, error.message));
  };
  auto strings = [&](std::string_view key, size_t max_items) -> Expected<std::vector<std::string>> {
    std::vector<std::string> out;
    const auto* node = section->get(key);
    if (node == nullptr) return out;
    const auto* list = node->as_array();
    if (list == nullptr) return bad(*node, key, "must be a list of strings");
    const auto what = fmt::format("[maintenance] {}", key);
    if (auto ok = check_items(what, list->size(), max_items); !ok) {
      return out_of_bounds(*node, ok.error());
    }
    for (const auto& item : *list) {
      auto s = item.value_exact<std::string>();
      if (!s) return bad(*node, key, "must be a list of strings");
      if (auto ok = check_bytes(fmt::format("{} item {}", what, out.size() + 1), s->size(),
                                kMaxMaintenanceTextBytes);
          !ok) {
        return out_of_bounds(item, ok.error());
      }
      out.push_back(*s);
    }
    return out;
  };
  if (const auto* node = section->get("timezone")) {
    auto name = node->value_exact<std::string>();
    if (!name) return bad(*node, "timezone", "must be a string such as \"Europe/Berlin\"");
    if (auto ok = check_bytes("[maintenance] timezone", name->size(), kMaxMaintenanceTextBytes);
        !ok) {
      return out_of_bounds(*node, ok.error());
    }
    auto zone = TimeZone::named(*name);
    if (!zone) return bad(*node, "timezone", zone.error().message);
    policy.zone_ = *zone;
  }
  if (const auto* node = section->get("risk")) {
    auto risk = node->value_exact<std::string>();
    if (!risk || risk_level(*risk) < 0)
      return bad(*node, "risk", "must be \"low\", \"medium\" or \"high\"");
    policy.min_risk_ = risk_level(*risk);
  }
  auto windows = strings("windows", kMaxWindows);
  if (!windows) return windows.error();
  for (const auto& text : *windows) {
    auto window = WeeklyWindow::parse(text);
    if (!window) return bad(*section->get("windows"), "windows", window.error().message);
    policy.windows_.push_back(std::move(*window));
  }
  auto plugins = strings("plugins", kMaxPolicyPlugins);
  if (!plugins) return plugins.error();
  policy.plugins_ = std::move(*plugins);
  auto blackout = strings("blackout", kMaxBlackouts);
  if (!blackout) return blackout.error();
  for (const auto& text : *blackout) {
    auto range = DateRange::parse(text);
    if (!range) return bad(*section->get("blackout"), "blackout", range.error().message);
    policy.blackout_.push_back(std::move(*range));
  }
  return policy;
}

const TomlSection& maintenance_section() {
  static const TomlSection section{"maintenance",
                                   {"timezone", "windows", "risk", "plugins", "blackout"}};
  return section;
}

bool MaintenancePolicy::governs(const std::string& plugin, const std::string& risk) const {
  if (std::find(plugins_.begin(), plugins_.end(), plugin) != plugins_.end()) return true;
  const int level = risk_level(risk);
  return level >= 0 && level >= min_risk_;
}

std::string MaintenancePolicy::check(const tend::Task& task, const std::string& plugin_risk,
                                     WallClock::time_point now) const {
  if (!enabled_ || !governs(task.plugin(), plugin_risk)) return {};
  const auto local = zone_.to_local(floor<seconds>(now));
  const auto today = floor<days>(local);
  std::string why;
  for (const auto& range : blackout_) {
    if (today >= range.first && today <= range.last) {
      why = fmt::format("blackout {} ({}): {} does not run on this node then", range.text,
                        zone_.name(), task.plugin());
      break;
    }
  }
  if (why.empty() && !windows_.empty()) {
    const bool inside = std::any_of(windows_.begin(), windows_.end(),
                                    [&](const WeeklyWindow& w) { return w.contains(local); });
    if (!inside) {
      std::vector<std::string> texts;
      for (const auto& w : windows_) texts.push_back(w.text);
      why = fmt::format("outside maintenance window: {} runs only {} {} on this node",
                        task.plugin(), fmt::join(texts, " or "), zone_.name());
    }
  }
  if (why.empty()) return {};
  if (task.force()) {
    if (!task.approved_by().empty()) return {};  // an approved, forced task: let it through
    return why + " (force is heeded only on an approved task: approved_by is empty)";
  }
  return why;
}

}  // namespace tend
