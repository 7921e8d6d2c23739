#include "core/coordinator/alerts/route_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "bus/names.h"
#include "core/common/duration.h"
#include "core/common/input_bounds.h"
#include "core/common/nats_config.h"
#include "core/common/toml_bounds.h"

namespace tend::alerts {
namespace {

const std::vector<std::string_view> kRouteKeys{
    "name",          "alert",   "matchers",         "plugin", "params",
    "target",        "service", "prior_confidence", "risk",   "requires_approval",
    "verify_within", "silence", "timeout_s"};
const std::vector<std::string_view> kTargetKeys{"hosts", "roles", "tags", "all"};

class RouteReader {
 public:
  RouteReader(const toml::table& table, const std::string& path, int line)
      : table_(table), path_(path), line_(line) {}

  Error fail(const toml::node* node, std::string_view problem) const {
    return make_error(
        fmt::format("{}:{}: {}", path_, node ? node->source().begin.line : line_, problem));
  }
  const toml::node* get(std::string_view key) const { return table_.get(key); }

  Expected<std::string> text(std::string_view key, bool required) const {
    const auto* n = get(key);
    if (n == nullptr) {
      if (required) return fail(nullptr, fmt::format("the route needs {}", key));
      return std::string();
    }
    auto v = n->value_exact<std::string>();
    if (!v) return fail(n, fmt::format("{} must be a string", key));
    return *v;
  }

  Expected<bool> flag(std::string_view key) const {
    const auto* n = get(key);
    if (n == nullptr) return false;
    auto v = n->value_exact<bool>();
    if (!v) return fail(n, fmt::format("{} must be true or false", key));
    return *v;
  }

 private:
  const toml::table& table_;
  const std::string& path_;
  int line_;
};

Expected<nlohmann::json> to_json(const toml::node& node, const RouteReader& r) {
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
  return r.fail(&node, "params hold strings, numbers, booleans, lists and tables (not dates)");
}

Expected<std::vector<TextTemplate>> template_list(const toml::table& target, std::string_view key,
                                                  const RouteReader& r) {
  std::vector<TextTemplate> out;
  const auto* n = target.get(key);
  if (n == nullptr) return out;
  const auto* array = n->as_array();
  if (array == nullptr) return r.fail(n, fmt::format("target.{} must be a list of strings", key));
  for (const auto& item : *array) {
    auto v = item.value_exact<std::string>();
    if (!v) return r.fail(n, fmt::format("target.{} must be a list of strings", key));
    auto t = TextTemplate::parse(*v);
    if (!t) return r.fail(n, fmt::format("target.{}: {}", key, t.error().message));
    out.push_back(std::move(*t));
  }
  return out;
}

Expected<TargetTemplate> read_target(const RouteReader& r) {
  TargetTemplate target;
  const auto* n = r.get("target");
  if (n == nullptr) {
    target.hosts.push_back(*TextTemplate::parse("{{ host }}"));
    return target;
  }
  const auto* table = n->as_table();
  if (table == nullptr)
    return r.fail(n, "target must be a table, e.g. { hosts = [\"{{ host }}\"] }");
  for (const auto& [key, value] : *table) {
    if (std::find(kTargetKeys.begin(), kTargetKeys.end(), key.str()) == kTargetKeys.end()) {
      return r.fail(&value, fmt::format("target.{} is not known (known: {})", key.str(),
                                        fmt::join(kTargetKeys, ", ")));
    }
  }
  for (auto [key, list] : {std::pair{"hosts", &target.hosts}, std::pair{"roles", &target.roles},
                           std::pair{"tags", &target.tags}}) {
    auto items = template_list(*table, key, r);
    if (!items) return items.error();
    *list = std::move(*items);
  }
  if (const auto* all = table->get("all")) {
    auto v = all->value_exact<bool>();
    if (!v) return r.fail(all, "target.all must be true or false");
    target.all = *v;
  }
  if (!target.all && target.hosts.empty() && target.roles.empty() && target.tags.empty()) {
    return r.fail(n, "target names no nodes: give hosts, roles, tags or all = true");
  }
  return target;
}

Expected<Route> read_route(const toml::table& table, const std::string& path) {
  const int line = static_cast<int>(table.source().begin.line);
  RouteReader r(table, path, line);
  for (const auto& [key, value] : table) {
    if (std::find(kRouteKeys.begin(), kRouteKeys.end(), key.str()) == kRouteKeys.end()) {
      return r.fail(&value, fmt::format("unknown key '{}' in [[route]] (known: {})", key.str(),
                                        fmt::join(kRouteKeys, ", ")));
    }
  }
  Route route;
  route.line = line;
  auto alert = r.text("alert", false);
  if (!alert) return alert.error();
  route.alertname = *alert;
  if (const auto* n = r.get("matchers")) {
    const auto* array = n->as_array();
    if (array == nullptr) {
      return r.fail(n, "matchers must be a list of strings such as 'severity=\"critical\"'");
    }
    if (auto ok = check_items("matchers", array->size(), kMaxMatchersPerRoute); !ok) {
      return r.fail(n, ok.error().message);
    }
    for (size_t i = 0; i < array->size(); ++i) {
      auto v = array->get(i)->value_exact<std::string>();
      if (!v)
        return r.fail(n, "matchers must be a list of strings such as 'severity=\"critical\"'");
      // Regexes run on every alert's labels: their length is bounded too.
      if (auto ok = check_bytes(fmt::format("matchers[{}]", i), v->size(), kMaxMatcherBytes); !ok) {
        return r.fail(n, ok.error().message);
      }
      auto m = LabelMatcher::parse(*v);
      if (!m) return r.fail(n, m.error().message);
      route.matchers.push_back(std::move(*m));
    }
  }
  if (route.alertname.empty() && route.matchers.empty()) {
    return r.fail(nullptr, "the route matches every alert: give alert = \"Name\" or matchers");
  }
  auto name = r.text("name", false);
  if (!name) return name.error();
  route.name = name->empty() ? route.alertname : *name;
  if (route.name.empty()) return r.fail(nullptr, "a route without alert = \"...\" needs a name");
  // The name is the knowledge base's pattern, which operators type back.
  if (auto ok = check_bytes("name", route.name.size(), kMaxRouteNameBytes); !ok) {
    return r.fail(r.get("name") ? r.get("name") : r.get("alert"), ok.error().message);
  }

  auto plugin = r.text("plugin", true);
  if (!plugin) return plugin.error();
  if (!is_valid_name(*plugin)) {
    return r.fail(r.get("plugin"), fmt::format("plugin '{}' is not a plugin name", *plugin));
  }
  route.plugin = *plugin;
  if (const auto* n = r.get("params")) {
    if (!n->is_table()) return r.fail(n, "params must be a table, e.g. { max_age_days = 7 }");
    auto tree = to_json(*n, r);
    if (!tree) return tree.error();
    auto params = ParamTemplate::parse(std::move(*tree), "params");
    if (!params) return r.fail(n, params.error().message);
    route.params = std::move(*params);
  }
  auto target = read_target(r);
  if (!target) return target.error();
  route.target = std::move(*target);
  auto service = r.text("service", false);
  if (!service) return service.error();
  if (!service->empty()) {
    auto t = TextTemplate::parse(*service);
    if (!t) return r.fail(r.get("service"), "service: " + t.error().message);
    route.service = std::move(*t);
  }
  if (const auto* n = r.get("prior_confidence")) {
    auto v = n->value<double>();
    if (!v || !(*v >= 0 && *v <= 1)) {
      return r.fail(n, "prior_confidence must be a number from 0 to 1, e.g. 0.6");
    }
    route.prior_confidence = *v;
  }
  auto risk = r.text("risk", false);
  if (!risk) return risk.error();
  if (*risk == "low") {
    route.risk = Risk::kLow;
  } else if (*risk == "high") {
    route.risk = Risk::kHigh;
  } else if (risk->empty() || *risk == "medium") {
    route.risk = Risk::kMedium;
  } else {
    return r.fail(r.get("risk"), fmt::format("risk '{}' is not low, medium or high", *risk));
  }
  auto approval = r.flag("requires_approval");
  if (!approval) return approval.error();
  route.requires_approval = *approval;
  auto silence = r.flag("silence");
  if (!silence) return silence.error();
  route.silence = *silence;
  auto verify = r.text("verify_within", false);
  if (!verify) return verify.error();
  if (!verify->empty()) {
    auto d = parse_duration(*verify);
    if (!d) return r.fail(r.get("verify_within"), "verify_within: " + d.error().message);
    if (auto ok = check_range("verify_within", d->count(), 0, kMaxVerifyWithinSeconds, "s"); !ok) {
      return r.fail(r.get("verify_within"), ok.error().message);
    }
    route.verify_within = *d;
  }
  if (const auto* n = r.get("timeout_s")) {
    auto v = n->value_exact<int64_t>();
    if (!v || *v < 1 || *v > 86400)
      return r.fail(n, "timeout_s must be a whole number from 1 to 86400");
    route.timeout_s = static_cast<uint32_t>(*v);
  }
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
  for (const auto& [key, value] : doc) {
    if (key.str() != "route") {
      return make_error(fmt::format("{}:{}: unknown entry '{}': routes are [[route]] tables", path,
                                    value.source().begin.line, key.str()));
    }
  }
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
