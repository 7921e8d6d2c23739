#include "core/coordinator/schedules/schedule_definition.h"

#include <fmt/format.h>

#include <cstdint>
#include <set>

#include "bus/names.h"
#include "core/common/host_count.h"
#include "core/common/input_bounds.h"
#include "core/common/nats_config.h"
#include "core/common/request_bounds.h"
#include "core/common/target_matcher.h"
#include "core/common/toml_bounds.h"
#include "core/common/toml_reader.h"
#include "core/coordinator/schedules/zoned_schedule.h"

namespace tend {
namespace {

constexpr uint32_t kMaxWindowS = 7 * 24 * 3600;
// A batch task's deadline, as a route's timeout_s and [tasks] default_timeout_s.
constexpr int64_t kMaxTimeoutS = 86400;
// Rollout counts (canary, max_per_role, max_failures).
constexpr int64_t kMaxRolloutCount = 1'000'000;
constexpr TomlBounds kSchedulesFileBounds{.max_string_bytes = 4096, .max_items = 1000};

Error field_error(const tend::Schedule& s, std::string_view field, const std::string& problem) {
  return make_error(fmt::format("schedule '{}': {}: {}", s.name(), field, problem));
}

// --- TOML ----------------------------------------------------------------

const std::vector<std::string_view> kScheduleKeys{
    "name",   "description", "cron",    "timezone", "window", "plugin", "params",
    "target", "limit",       "dry_run", "timeout",  "paused", "rollout"};
const std::vector<std::string_view> kTargetKeys{"hosts", "roles", "tags", "all"};
const std::vector<std::string_view> kRolloutKeys{
    "canary",     "batch", "pause", "max_per_role", "max_failures", "max_failure_percent",
    "health_gate"};

// A whole number, or a duration such as "4h"; refused rather than wrapped
// into 32 bits (the real range is checked by validate_schedule).
Expected<uint32_t> seconds_at(const TomlReader& r, std::string_view key) {
  auto seconds = r.seconds(key, 0, 0, UINT32_MAX);
  if (!seconds) return seconds.error();
  return static_cast<uint32_t>(*seconds);
}

Expected<google::protobuf::Value> to_value(const TomlReader& r, const toml::node& node,
                                           std::string_view key) {
  google::protobuf::Value v;
  if (auto s = node.value_exact<std::string>()) {
    v.set_string_value(*s);
  } else if (auto i = node.value_exact<int64_t>()) {
    v.set_number_value(static_cast<double>(*i));
  } else if (auto d = node.value_exact<double>()) {
    v.set_number_value(*d);
  } else if (auto b = node.value_exact<bool>()) {
    v.set_bool_value(*b);
  } else if (const auto* list = node.as_array()) {
    auto* out = v.mutable_list_value();
    for (const auto& item : *list) {
      auto inner = to_value(r, item, key);
      if (!inner) return inner.error();
      *out->add_values() = std::move(*inner);
    }
  } else if (const auto* table = node.as_table()) {
    auto* out = v.mutable_struct_value()->mutable_fields();
    for (const auto& [k, item] : *table) {
      auto inner = to_value(r, item, key);
      if (!inner) return inner.error();
      (*out)[std::string(k.str())] = std::move(*inner);
    }
  } else {
    return r.fail_because(node, key,
                          "dates and times are not parameter values: write them as strings");
  }
  return v;
}

Expected<void> read_target(const TomlReader& r, tend::Target& target) {
  const TomlReader t = r.nested("target");
  if (t.table() == nullptr) {
    return r.fail(*r.node("target"), "target", "must be a table: { roles = [\"web\"] }");
  }
  if (auto ok = t.refuse_unknown(kTargetKeys); !ok) return ok;
  for (auto [key, list] :
       {std::pair{"hosts", target.mutable_hosts()}, std::pair{"roles", target.mutable_roles()},
        std::pair{"tags", target.mutable_tags()}}) {
    auto items = t.strings(key);
    if (!items) return items.error();
    for (auto& item : *items) list->Add(std::move(item));
  }
  auto all = t.flag("all", false);
  if (!all) return all.error();
  target.set_all(*all);
  return {};
}

// A count of hosts; absent, none.
Expected<std::optional<uint32_t>> count_at(const TomlReader& t, std::string_view key) {
  if (t.node(key) == nullptr) return std::optional<uint32_t>();
  auto v = t.whole(key, 0, 0, kMaxRolloutCount);
  if (!v) return v.error();
  return std::optional<uint32_t>(static_cast<uint32_t>(*v));
}

Expected<void> read_rollout_counts(const TomlReader& t, tend::RolloutSettings& out) {
  auto canary = count_at(t, "canary");
  if (!canary) return canary.error();
  out.set_canary(canary->value_or(0));
  auto per_role = count_at(t, "max_per_role");
  if (!per_role) return per_role.error();
  out.set_max_per_role(per_role->value_or(0));
  auto failures = count_at(t, "max_failures");
  if (!failures) return failures.error();
  if (*failures) out.set_max_failures(**failures);
  if (const auto* batch = t.node("batch")) {
    if (auto n = batch->value_exact<int64_t>()) {
      out.set_batch(std::to_string(*n));
    } else if (auto s = batch->value_exact<std::string>()) {
      out.set_batch(*s);
    } else {
      return t.fail(*batch, "batch", "must be a number of hosts or a share such as \"10%\"");
    }
  }
  return {};
}

Expected<void> read_rollout(const TomlReader& r, tend::RolloutSettings& out) {
  const TomlReader t = r.nested("rollout");
  if (t.table() == nullptr) return r.fail(*r.node("rollout"), "rollout", "must be a table");
  if (auto ok = t.refuse_unknown(kRolloutKeys); !ok) return ok;
  if (auto ok = read_rollout_counts(t, out); !ok) return ok;
  auto pause = seconds_at(t, "pause");
  if (!pause) return pause.error();
  out.set_pause_s(*pause);
  if (const auto* pct = t.node("max_failure_percent")) {
    auto v = pct->value<double>();
    if (!v) return t.fail(*pct, "max_failure_percent", "must be a number such as 5");
    out.set_max_failure_percent(*v);
  }
  if (t.node("health_gate") != nullptr) {
    auto gate = t.flag("health_gate", true);
    if (!gate) return gate.error();
    out.set_health_gate(*gate);
  }
  return {};
}

Expected<void> read_settings(const TomlReader& r, tend::Schedule& s) {
  for (auto [key, setter] :
       {std::pair<std::string_view, void (tend::Schedule::*)(const std::string&)>{
            "name", &tend::Schedule::set_name},
        {"description", &tend::Schedule::set_description},
        {"cron", &tend::Schedule::set_cron},
        {"timezone", &tend::Schedule::set_timezone},
        {"plugin", &tend::Schedule::set_plugin},
        {"limit", &tend::Schedule::set_limit}}) {
    auto value = r.text(key, "");
    if (!value) return value.error();
    (s.*setter)(*value);
  }
  auto window = seconds_at(r, "window");
  if (!window) return window.error();
  s.set_window_s(*window);
  auto timeout = seconds_at(r, "timeout");
  if (!timeout) return timeout.error();
  s.set_timeout_s(*timeout);
  for (auto [key, setter] : {std::pair<std::string_view, void (tend::Schedule::*)(bool)>{
                                 "dry_run", &tend::Schedule::set_dry_run},
                             {"paused", &tend::Schedule::set_paused}}) {
    auto b = r.flag(key, false);
    if (!b) return b.error();
    (s.*setter)(*b);
  }
  return {};
}

Expected<tend::Schedule> read_one(const std::string& path, const toml::table& t) {
  std::string where = "[[schedule]]";
  if (auto name = t["name"].value_exact<std::string>()) {
    where = fmt::format("[[schedule]] '{}'", *name);
  }
  const TomlReader r(&t, where, path);
  if (auto ok = r.refuse_unknown(kScheduleKeys); !ok) return ok.error();
  tend::Schedule s;
  if (auto ok = read_settings(r, s); !ok) return ok.error();
  if (r.node("target") != nullptr) {
    if (auto ok = read_target(r, *s.mutable_target()); !ok) return ok.error();
  }
  if (const auto* params = r.node("params")) {
    auto value = to_value(r, *params, "params");
    if (!value) return value.error();
    if (!value->has_struct_value()) return r.fail(*params, "params", "must be a table");
    *s.mutable_params() = value->struct_value();
  }
  if (r.node("rollout") != nullptr) {
    if (auto ok = read_rollout(r, *s.mutable_rollout()); !ok) return ok.error();
  }
  s.set_source("file");
  if (auto ok = validate_schedule(s); !ok) {
    return make_error(fmt::format("{}:{}: {}", path, t.source().begin.line, ok.error().message));
  }
  return s;
}

// What each text field may hold, before it is parsed or stored.
Expected<void> check_schedule_texts(const tend::Schedule& s) {
  const std::pair<std::string_view, std::pair<const std::string*, size_t>> texts[] = {
      {"cron", {&s.cron(), kMaxCronBytes}},
      {"timezone", {&s.timezone(), kMaxTimezoneBytes}},
      {"limit", {&s.limit(), kMaxCountTextBytes}},
      {"rollout.batch", {&s.rollout().batch(), kMaxCountTextBytes}},
      {"description", {&s.description(), kMaxDescriptionBytes}},
      {"updated_by", {&s.updated_by(), kMaxUpdatedByBytes}},
  };
  for (const auto& [field, text] : texts) {
    if (auto ok = check_bytes(field, text.first->size(), text.second); !ok) {
      return field_error(s, field, ok.error().message);
    }
  }
  return {};
}

// Numbers sent as they are (tendctl, a request): ranges, not wrap-arounds.
Expected<void> check_schedule_numbers(const tend::Schedule& s) {
  const auto& r = s.rollout();
  const std::pair<std::string_view, std::pair<int64_t, int64_t>> numbers[] = {
      {"timeout", {s.timeout_s(), kMaxTimeoutS}},
      {"rollout.canary", {r.canary(), kMaxRolloutCount}},
      {"rollout.max_per_role", {r.max_per_role(), kMaxRolloutCount}},
      {"rollout.max_failures", {r.max_failures(), kMaxRolloutCount}},
  };
  for (const auto& [field, number] : numbers) {
    if (auto ok = check_range(field, number.first, 0, number.second, ""); !ok) {
      return field_error(s, field, ok.error().message);
    }
  }
  return {};
}

}  // namespace

Expected<void> validate_schedule(const tend::Schedule& s) {
  if (s.name().empty()) return make_error("schedule: name: required (letters, digits, - and _)");
  if (auto ok = check_subject_name("schedule name", s.name()); !ok) {
    return make_error(fmt::format("schedule: name: {}", ok.error().message));
  }
  if (auto ok = check_schedule_texts(s); !ok) return ok;
  if (auto ok = check_schedule_numbers(s); !ok) return ok;
  if (s.cron().empty()) return field_error(s, "cron", "required, e.g. \"0 2 * * sun\"");
  if (auto cron = CronExpression::parse(s.cron()); !cron) {
    return field_error(s, "cron", cron.error().message);
  }
  if (s.timezone().empty()) {
    return field_error(s, "timezone", "required: an IANA name such as Europe/Berlin, or UTC");
  }
  if (auto zone = TimeZone::named(s.timezone()); !zone) {
    return field_error(s, "timezone", zone.error().message);
  }
  if (s.window_s() == 0 || s.window_s() > kMaxWindowS) {
    return field_error(s, "window",
                       "required: how long the window stays open, e.g. \"4h\" (at most 7d)");
  }
  if (auto ok = TargetMatcher::validate(s.target()); !ok) {
    return field_error(s, "target", ok.error().message);
  }
  if (s.plugin().empty()) return field_error(s, "plugin", "required, e.g. \"package-update\"");
  if (auto ok = check_subject_name("plugin", s.plugin()); !ok) {
    return field_error(s, "plugin", ok.error().message);
  }
  if (!s.limit().empty()) {
    if (auto count = HostCount::parse(s.limit()); !count) {
      return field_error(s, "limit", count.error().message);
    }
  }
  const auto& r = s.rollout();
  if (!r.batch().empty()) {
    if (auto count = HostCount::parse(r.batch()); !count) {
      return field_error(s, "rollout.batch", count.error().message);
    }
  }
  if (r.has_max_failure_percent() &&
      (r.max_failure_percent() < 0 || r.max_failure_percent() > 100)) {
    return field_error(s, "rollout.max_failure_percent", "must be from 0 to 100");
  }
  if (r.pause_s() >= s.window_s()) {
    return field_error(s, "rollout.pause", "must be shorter than the window");
  }
  return {};
}

tend::RolloutSettings effective_rollout(const tend::Schedule& s) {
  tend::RolloutSettings r = s.rollout();
  if (!r.has_health_gate()) r.set_health_gate(true);
  if (!r.has_max_failures() && !r.has_max_failure_percent()) r.set_max_failures(0);
  return r;
}

Expected<std::vector<tend::Schedule>> read_schedules(const toml::table& doc,
                                                     const std::string& path) {
  if (auto ok = check_toml_bounds(doc, path, kSchedulesFileBounds); !ok) return ok.error();
  std::vector<tend::Schedule> out;
  static const std::vector<TomlSection> kSections{{"schedule", {}, TomlSection::Form::kTables}};
  if (auto ok = refuse_unknown_entries(doc, kSections, path); !ok) return ok.error();
  const auto* list = doc.get_as<toml::array>("schedule");
  if (list == nullptr) {
    if (doc.contains("schedule")) {
      return make_error(
          fmt::format("{}: write each schedule as [[schedule]], not [schedule]", path));
    }
    return out;
  }
  std::set<std::string> names;
  for (const auto& item : *list) {
    const auto* table = item.as_table();
    if (table == nullptr) return make_error(fmt::format("{}: [[schedule]] must be tables", path));
    auto schedule = read_one(path, *table);
    if (!schedule) return schedule.error();
    if (!names.insert(schedule->name()).second) {
      return make_error(fmt::format("{}:{}: schedule '{}' is defined twice", path,
                                    table->source().begin.line, schedule->name()));
    }
    out.push_back(std::move(*schedule));
  }
  return out;
}

Expected<std::vector<tend::Schedule>> load_schedules_file(const std::string& path) {
  auto doc = parse_toml_file(path);
  if (!doc) return doc.error();
  return read_schedules(*doc, path);
}

std::string describe_rollout(const tend::Schedule& s) {
  const auto r = effective_rollout(s);
  std::string text = TargetMatcher::describe(s.target());
  if (!s.limit().empty()) text += fmt::format(" (a random {})", s.limit());
  if (r.canary() > 0) text += fmt::format(", a canary of {}", r.canary());
  text += r.batch().empty() ? ", then all at once" : fmt::format(", batches of {}", r.batch());
  if (r.pause_s() > 0) text += fmt::format(" {}s apart", r.pause_s());
  if (r.max_per_role() > 0) text += fmt::format(", at most {} per role", r.max_per_role());
  if (r.has_max_failure_percent()) {
    text += fmt::format(", stop past {}% failed", r.max_failure_percent());
  }
  if (r.has_max_failures()) {
    text += fmt::format(", stop past {} failed", r.max_failures());
  }
  return text;
}

}  // namespace tend
