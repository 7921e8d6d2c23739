// Any body POSTed to the coordinator's webhook, read as Alertmanager's
// version 4 notification:
//
// - parsing gives the alerts, or a refusal of one of its three kinds with a
//   message, never a crash;
// - every alert has a fingerprint (Alertmanager's, or computed as it would);
// - every alert meets the routes of etc/routes.toml (the shipped example,
//   with `=~` matchers over its labels); the first that matches plans the
//   fix, filling params, target and service from the alert's labels
//   (`{{ labels.x }}`, `{{ host }}`), or says which label is missing;
// - a planned fix is a task the coordinator may send: its target names can
//   be in subjects, and its params meet the real plugin's table as an agent
//   would check them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/agent/plugin_host/plugin_params.h"
#include "core/common/target_matcher.h"
#include "core/coordinator/alerts/alertmanager_payload.h"
#include "core/coordinator/alerts/fix_plan.h"
#include "core/coordinator/alerts/route_table.h"
#include "tests/fuzz/support/builtin_plugins.h"
#include "tests/fuzz/support/fuzz_check.h"

namespace tend::fuzz {
namespace {

const alerts::RouteTable& shipped_routes() {
  static const alerts::RouteTable routes = [] {
    auto loaded = alerts::load_routes(TEND_SOURCE_DIR "/etc/routes.toml");
    if (!loaded) broken("etc/routes.toml loads", loaded.error().message);
    return *loaded;
  }();
  return routes;
}

void route(const alerts::Alert& alert) {
  auto route = shipped_routes().match(alert);
  if (!route) return;
  auto plan = alerts::plan_fix(route, alert);
  if (!plan) return;  // escalated, saying why
  require(static_cast<bool>(TargetMatcher::validate(plan->task.target())),
          "a planned fix has a target whose names can be in subjects");
  if (auto plugin = builtin_plugins().find(plan->task.plugin())) {
    (void)validate_params(plugin->plugin(), plan->task.params());
  }
}

}  // namespace
}  // namespace tend::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend::fuzz;
  auto parsed = tend::alerts::parse_alertmanager_json(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed) {
    require(!parsed.error().message.empty(), "a refused body is told why");
    return 0;
  }
  for (const auto& alert : parsed.batch().alerts) {
    require(!alert.fingerprint.empty(), "every alert has a fingerprint");
    route(alert);
  }
  return 0;
}
