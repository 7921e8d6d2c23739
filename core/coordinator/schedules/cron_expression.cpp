#include "core/coordinator/schedules/cron_expression.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <vector>

namespace tend {
namespace {

using namespace std::chrono;

struct FieldSpec {
  const char* name;
  const char* ordinal;
  int min;
  int max;
  std::array<const char*, 12> names;  // for months and days; index 0 is `min`
};

constexpr FieldSpec kSecondField{"second", "1st of 6", 0, 59, {}};
constexpr FieldSpec kFields[] = {
    {"minute", "1st", 0, 59, {}},
    {"hour", "2nd", 0, 23, {}},
    {"day of month", "3rd", 1, 31, {}},
    {"month",
     "4th",
     1,
     12,
     {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
    // 7 is Sunday too, folded to 0 below.
    {"day of week", "5th", 0, 7, {"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    auto at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

Error field_error(const FieldSpec& field, const std::string& problem) {
  return make_error(
      fmt::format("cron field '{}' (the {}): {}", field.name, field.ordinal, problem));
}

Expected<int> value_of(const FieldSpec& field, std::string_view token) {
  const std::string name = lower(token);
  for (size_t i = 0; i < field.names.size() && field.names[i] != nullptr; ++i) {
    if (name == field.names[i]) return field.min + static_cast<int>(i);
  }
  int value = 0;
  auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (ec != std::errc() || end != token.data() + token.size() || token.empty()) {
    return field_error(
        field, fmt::format("'{}' is not a number{}", token, field.names[0] ? " or a name" : ""));
  }
  if (value < field.min || value > field.max) {
    return field_error(field, fmt::format("{} is outside {}-{}", value, field.min, field.max));
  }
  return value;
}

// One field into the set of values it allows; `restricted` is false for `*`
// (and `*/n`), which is what the day-of-month/day-of-week rule looks at.
Expected<std::vector<bool>> parse_field(const FieldSpec& field, std::string_view text,
                                        bool& restricted) {
  std::vector<bool> allowed(field.max + 1, false);
  restricted = !text.starts_with('*');
  for (auto item : split(text, ',')) {
    if (item.empty()) return field_error(field, fmt::format("empty list item in '{}'", text));
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      auto step_text = item.substr(slash + 1);
      auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (ec != std::errc() || end != step_text.data() + step_text.size() || step < 1) {
        return field_error(field,
                           fmt::format("step '{}' must be a whole number above 0", step_text));
      }
      item = item.substr(0, slash);
    }
    int low = field.min, high = field.max;
    if (item != "*") {
      auto dash = item.find('-');
      auto first = value_of(field, item.substr(0, dash));
      if (!first) return first.error();
      low = high = *first;
      if (dash != std::string_view::npos) {
        auto last = value_of(field, item.substr(dash + 1));
        if (!last) return last.error();
        high = *last;
        if (high < low) {
          return field_error(field, fmt::format("range '{}' runs backwards", item));
        }
      } else if (step > 1) {
        high = field.max;  // "5/20" means from 5 to the end, every 20
      }
    }
    for (int v = low; v <= high; v += step) allowed[v] = true;
  }
  return allowed;
}

template <size_t N>
void copy_into(std::bitset<N>& bits, const std::vector<bool>& allowed) {
  for (size_t i = 0; i < allowed.size() && i < N; ++i) bits[i] = allowed[i];
}

std::string_view expand_macro(std::string_view text) {
  if (text == "@hourly") return "0 * * * *";
  if (text == "@daily" || text == "@midnight") return "0 0 * * *";
  if (text == "@weekly") return "0 0 * * 0";
  if (text == "@monthly") return "0 0 1 * *";
  if (text == "@yearly" || text == "@annually") return "0 0 1 1 *";
  return {};
}

}  // namespace

Expected<CronExpression> CronExpression::parse(std::string_view text) {
  std::string_view fields_text = text;
  if (text.starts_with('@')) {
    fields_text = expand_macro(text);
    if (fields_text.empty()) {
      return make_error(fmt::format(
          "'{}' is not a cron macro: use @hourly, @daily, @weekly, @monthly or @yearly", text));
    }
  }
  std::vector<std::string_view> fields;
  for (auto part : split(fields_text, ' ')) {
    if (!part.empty()) fields.push_back(part);
  }
  if (fields.size() != 5 && fields.size() != 6) {
    return make_error(fmt::format(
        "'{}' has {} field(s); cron needs 5: minute hour day-of-month month day-of-week "
        "(e.g. \"0 2 * * sun\")",
        text, fields.size()));
  }
  CronExpression cron;
  cron.text_ = std::string(text);
  bool restricted = false;
  cron.seconds_[0] = true;
  if (fields.size() == 6) {
    auto seconds = parse_field(kSecondField, fields.front(), restricted);
    if (!seconds) return seconds.error();
    cron.seconds_.reset();
    copy_into(cron.seconds_, *seconds);
    fields.erase(fields.begin());
  }
  std::vector<bool> allowed[5];
  for (int i = 0; i < 5; ++i) {
    auto parsed = parse_field(kFields[i], fields[i], restricted);
    if (!parsed) return parsed.error();
    allowed[i] = std::move(*parsed);
    if (i == 2) cron.dom_restricted_ = restricted;
    if (i == 4) cron.dow_restricted_ = restricted;
  }
  copy_into(cron.minutes_, allowed[0]);
  copy_into(cron.hours_, allowed[1]);
  copy_into(cron.days_of_month_, allowed[2]);
  copy_into(cron.months_, allowed[3]);
  copy_into(cron.days_of_week_, allowed[4]);
  if (allowed[4][7]) cron.days_of_week_[0] = true;
  // Eight years from a leap year see every date there is.
  if (!cron.next_at_or_after(local_days{year{2000} / January / 1})) {
    return make_error(fmt::format("'{}' never fires: no date has that day and month", text));
  }
  return cron;
}

bool CronExpression::day_matches(local_days day) const {
  const year_month_day ymd{day};
  const bool dom = days_of_month_[static_cast<unsigned>(ymd.day())];
  const bool dow = days_of_week_[weekday{day}.c_encoding()];
  if (dom_restricted_ && dow_restricted_) return dom || dow;
  return dom && dow;
}

bool CronExpression::matches(local_seconds t) const {
  const auto day = floor<days>(t);
  const hh_mm_ss hms{t - day};
  const year_month_day ymd{day};
  return months_[static_cast<unsigned>(ymd.month())] && day_matches(day) &&
         hours_[hms.hours().count()] && minutes_[hms.minutes().count()] &&
         seconds_[hms.seconds().count()];
}

std::optional<local_seconds> CronExpression::next_at_or_after(local_seconds t) const {
  // Skip whole months, days, hours and minutes that cannot match: a few
  // hundred steps at most, even for a yearly job.
  auto m = t;
  const auto limit = m + days(366 * 8 + 2);
  while (m < limit) {
    const auto day = floor<days>(m);
    const year_month_day ymd{day};
    if (!months_[static_cast<unsigned>(ymd.month())]) {
      const auto next_month = ymd.year() / ymd.month() / 1 + months(1);
      m = local_days{year_month_day{next_month}};
      continue;
    }
    if (!day_matches(day)) {
      m = day + days(1);
      continue;
    }
    const hh_mm_ss hms{m - day};
    if (!hours_[hms.hours().count()]) {
      m = day + hms.hours() + hours(1);
      continue;
    }
    if (!minutes_[hms.minutes().count()]) {
      m = day + hms.hours() + hms.minutes() + minutes(1);
      continue;
    }
    if (!seconds_[hms.seconds().count()]) {
      m += seconds(1);
      continue;
    }
    return m;
  }
  return std::nullopt;
}

}  // namespace tend
