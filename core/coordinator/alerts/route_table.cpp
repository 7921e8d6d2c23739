#include "core/coordinator/alerts/route_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "bus/names.h"
#include "core/common/duration.h"
#include "core/common/input_bounds.h"
#include "core/common/nats_config.h"
#include "core/common/toml_bounds.h"
#include "core/common/toml_reader.h"

namespace tend::alerts {
namespace {

const std::vector<std::string_view> kRouteKeys{
    "name",          "alert",   "matchers",         "plugin", "params",
    "target",        "service", "prior_confidence", "risk",   "requires_approval",
    "verify_within", "silence", "timeout_s"};
const std::vector<std::string_view> kTargetKeys{"hosts", "roles", "tags", "all"};

// A key every route must give: "routes.toml:4: the route needs plugin".
Expected<std::string> required_text(const TomlReader& r, std::string_view key) {
  if (r.node(key) == nullptr) return r.fail_at(nullptr, fmt::format("the route needs {}", key));
  return r.text(key, "");
}

Expected<nlohmann::json> to_json(const toml::node& node, const TomlReader& r) {
  if (auto v = node.value_exact<std::string>()) return nlohmann::json(*v);
  if (auto v = node.value_exact<int64_t>()) return nlohmann::json(*v);
  if (auto v = node.value_exact<double>()) return nlohmann::json(*v);
  if (auto v = node.value_exact<bool>()) return nlohmann::json(*v);
  if (const auto* array = node.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : *array) {
      auto j = to_json(item, r);
      if (!j) return j;
      out.push_back(std::move(*j));
    }
    return out;
  }
  if (const auto* table = node.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : *table) {
      auto j = to_json(value, r);
      if (!j) return j;
      out[std::string(key.str())] = std::move(*j);
    }
    return out;
  }
  return r.fail_at(&node, "params hold strings, numbers, booleans, lists and tables (not dates)");
}

Expected<std::vector<TextTemplate>> template_list(const TomlReader& target, std::string_view key) {
  std::vector<TextTemplate> out;
  auto texts = target.strings(key);
  if (!texts) return texts.error();
  for (const auto& text : *texts) {
    auto t = TextTemplate::parse(text);
    if (!t) return target.fail_because(*target.node(key), key, t.error().message);
    out.push_back(std::move(*t));
  }
  return out;
}

Expected<TargetTemplate> read_target(const TomlReader& r, const std::string& path) {
  TargetTemplate target;
  const auto* n = r.node("target");
  if (n == nullptr) {
    target.hosts.push_back(*TextTemplate::parse("{{ host }}"));
    return target;
  }
  if (!n->is_table()) {
    return r.fail_at(n, "target must be a table, e.g. { hosts = [\"{{ host }}\"] }");
  }
  const TomlReader t = r.nested("target");
  if (auto ok = refuse_unknown_keys(*t.table(), "[[route]] target", kTargetKeys, path); !ok) {
    return ok.error();
  }
  for (auto [key, list] : {std::pair{"hosts", &target.hosts}, std::pair{"roles", &target.roles},
                           std::pair{"tags", &target.tags}}) {
    auto items = template_list(t, key);
    if (!items) return items.error();
    *list = std::move(*items);
  }
  auto all = t.flag("all", false);
  if (!all) return all.error();
  target.all = *all;
  if (!target.all && target.hosts.empty() && target.roles.empty() && target.tags.empty()) {
    return r.fail_at(n, "target names no nodes: give hosts, roles, tags or all = true");
  }
  return target;
}

Expected<void> read_matchers(const TomlReader& r, Route& route) {
  const auto* n = r.node("matchers");
  if (n == nullptr) return {};
  const auto* array = n->as_array();
  if (array == nullptr) {
    return r.fail_at(n, "matchers must be a list of strings such as 'severity=\"critical\"'");
  }
  if (auto ok = check_items("matchers", array->size(), kMaxMatchersPerRoute); !ok) {
    return r.fail_at(n, ok.error().message);
  }
  for (size_t i = 0; i < array->size(); ++i) {
    auto v = array->get(i)->value_exact<std::string>();
    if (!v) {
      return r.fail_at(n, "matchers must be a list of strings such as 'severity=\"critical\"'");
    }
    // Regexes run on every alert's labels: their length is bounded too.
    if (auto ok = check_bytes(fmt::format("matchers[{}]", i), v->size(), kMaxMatcherBytes); !ok) {
      return r.fail_at(n, ok.error().message);
    }
    auto m = LabelMatcher::parse(*v);
    if (!m) return r.fail_at(n, m.error().message);
    route.matchers.push_back(std::move(*m));
  }
  return {};
}

// Which alerts the route takes, and its name in the knowledge base.
Expected<void> read_match(const TomlReader& r, Route& route) {
  auto alert = r.text("alert", "");
  if (!alert) return alert.error();
  route.alertname = *alert;
  if (auto ok = read_matchers(r, route); !ok) return ok;
  if (route.alertname.empty() && route.matchers.empty()) {
    return r.fail_at(nullptr, "the route matches every alert: give alert = \"Name\" or matchers");
  }
  auto name = r.text("name", "");
  if (!name) return name.error();
  route.name = name->empty() ? route.alertname : *name;
  if (route.name.empty()) return r.fail_at(nullptr, "a route without alert = \"...\" needs a name");
  // The name is the knowledge base's pattern, which operators type back.
  if (auto ok = check_bytes("name", route.name.size(), kMaxRouteNameBytes); !ok) {
    return r.fail_at(r.node("name") ? r.node("name") : r.node("alert"), ok.error().message);
  }
  return {};
}

// What the route runs, and where.
Expected<void> read_fix(const TomlReader& r, const std::string& path, Route& route) {
  auto plugin = required_text(r, "plugin");
  if (!plugin) return plugin.error();
  if (!is_valid_name(*plugin)) {
    return r.fail_at(r.node("plugin"), fmt::format("plugin '{}' is not a plugin name", *plugin));
  }
  route.plugin = *plugin;
  if (const auto* n = r.node("params")) {
    if (!n->is_table()) return r.fail_at(n, "params must be a table, e.g. { max_age_days = 7 }");
    auto tree = to_json(*n, r);
    if (!tree) return tree.error();
    auto params = ParamTemplate::parse(std::move(*tree), "params");
    if (!params) return r.fail_at(n, params.error().message);
    route.params = std::move(*params);
  }
  auto target = read_target(r, path);
  if (!target) return target.error();
  route.target = std::move(*target);
  auto service = r.text("service", "");
  if (!service) return service.error();
  if (!service->empty()) {
    auto t = TextTemplate::parse(*service);
    if (!t) return r.fail_at(r.node("service"), "service: " + t.error().message);
    route.service = std::move(*t);
  }
  return {};
}

Expected<Risk> read_risk(const TomlReader& r) {
  auto risk = r.text("risk", "");
  if (!risk) return risk.error();
  if (*risk == "low") return Risk::kLow;
  if (*risk == "high") return Risk::kHigh;
  if (risk->empty() || *risk == "medium") return Risk::kMedium;
  return r.fail_at(r.node("risk"), fmt::format("risk '{}' is not low, medium or high", *risk));
}

// How far the fix is trusted, and how it is checked.
Expected<void> read_trust(const TomlReader& r, Route& route) {
  auto prior = r.share("prior_confidence", route.prior_confidence, 0, 1);
  if (!prior) return prior.error();
  route.prior_confidence = *prior;
  auto risk = read_risk(r);
  if (!risk) return risk.error();
  route.risk = *risk;
  auto approval = r.flag("requires_approval", false);
  if (!approval) return approval.error();
  route.requires_approval = *approval;
  auto silence = r.flag("silence", false);
  if (!silence) return silence.error();
  route.silence = *silence;
  auto verify = r.text("verify_within", "");
  if (!verify) return verify.error();
  if (!verify->empty()) {
    auto d = parse_duration(*verify);
    if (!d) return r.fail_because(*r.node("verify_within"), "verify_within", d.error().message);
    if (auto ok = check_range("verify_within", d->count(), 0, kMaxVerifyWithinSeconds, "s"); !ok) {
      return r.fail_at(r.node("verify_within"), ok.error().message);
    }
    route.verify_within = *d;
  }
  if (const auto* n = r.node("timeout_s")) {
    auto v = n->value_exact<int64_t>();
    if (!v || *v < 1 || *v > 86400) {
      return r.fail_at(n, "timeout_s must be a whole number from 1 to 86400");
    }
    route.timeout_s = static_cast<uint32_t>(*v);
  }
  return {};
}

Expected<Route> read_route(const toml::table& table, const std::string& path) {
  if (auto ok = refuse_unknown_keys(table, "[[route]]", kRouteKeys, path); !ok) return ok.error();
  // Errors need no "[[route]]": the line says which route.
  const TomlReader r(&table, "", path);
  Route route;
  route.line = static_cast<int>(table.source().begin.line);
  if (auto ok = read_match(r, route); !ok) return ok.error();
  if (auto ok = read_fix(r, path, route); !ok) return ok.error();
  if (auto ok = read_trust(r, route); !ok) return ok.error();
  return route;
}

}  // namespace

std::string_view risk_name(Risk risk) {
  switch (risk) {
    case Risk::kLow:
      return "low";
    case Risk::kMedium:
      return "medium";
    case Risk::kHigh:
      return "high";
  }
  return "medium";
}

bool Route::matches(const Alert& alert) const {
  if (!alertname.empty() && alert.alertname() != alertname) return false;
  return std::all_of(matchers.begin(), matchers.end(),
                     [&](const LabelMatcher& m) { return m.matches(alert.labels); });
}

std::shared_ptr<const Route> RouteTable::match(const Alert& alert) const {
  for (const auto& route : routes_) {
    if (route->matches(alert)) return route;
  }
  return nullptr;
}

Expected<RouteTable> read_routes(const toml::table& doc, const std::string& path) {
  if (auto ok = check_toml_bounds(doc, path, kRoutesFileBounds); !ok) return ok.error();
  static const std::vector<TomlSection> kSections{{"route", {}, TomlSection::Form::kTables}};
  if (auto ok = refuse_unknown_entries(doc, kSections, path); !ok) return ok.error();
  std::vector<std::shared_ptr<const Route>> routes;
  const auto* node = doc.get("route");
  if (node == nullptr) return RouteTable(path, {});
  const auto* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return make_error(
        fmt::format("{}:{}: routes are [[route]] tables", path, node->source().begin.line));
  }
  std::set<std::string> names;
  for (const auto& item : *array) {
    auto route = read_route(*item.as_table(), path);
    if (!route) return route.error();
    if (!names.insert(route->name).second) {
      return make_error(fmt::format(
          "{}:{}: route name '{}' is used twice: each route is one pattern in the knowledge "
          "base, give it a name of its own",
          path, route->line, route->name));
    }
    routes.push_back(std::make_shared<const Route>(std::move(*route)));
  }
  return RouteTable(path, std::move(routes));
}

Expected<RouteTable> load_routes(const std::string& path) {
  auto doc = parse_toml_file(path);
  if (!doc) return doc.error();
  return read_routes(*doc, path);
}

}  // namespace tend::alerts
