// Any bytes as routes.toml: the coordinator gets its routes, or refuses them
// (at start, or keeps the old ones on a reload) with an error that names the
// file. Every route it accepts then meets a real alert: its matchers give an
// answer, and its `{{ }}` templates fill a fix whose target names can be in
// subjects, or say which label the alert lacks.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/common/target_matcher.h"
#include "core/coordinator/alerts/fix_plan.h"
#include "core/coordinator/alerts/route_table.h"
#include "tests/fuzz/support/fuzz_check.h"
#include "tests/fuzz/support/input_file.h"

namespace tend::fuzz {
namespace {

// What node_exporter's DiskFull looks like, with the labels the shipped
// routes use besides.
const alerts::Alert& disk_full() {
  static const alerts::Alert alert = [] {
    alerts::Alert a;
    a.labels = {{"alertname", "DiskFull"}, {"instance", "web-01.example.com:9100"},
                {"mountpoint", "/var"},    {"service", "nginx"},
                {"relname", "orders"},     {"severity", "critical"},
                {"env", "production"}};
    a.annotations = {{"summary", "disk 92% full"}};
    a.fingerprint = "1769da58daff90b1";
    return a;
  }();
  return alert;
}

void meet(const std::shared_ptr<const alerts::Route>& route) {
  (void)route->matches(disk_full());
  auto plan = alerts::plan_fix(route, disk_full());
  if (!plan) return;
  require(static_cast<bool>(TargetMatcher::validate(plan->task.target())),
          "a planned fix has a target whose names can be in subjects");
}

}  // namespace
}  // namespace tend::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tend::fuzz;
  static InputFile file("routes.toml");
  file.hold(std::string_view(reinterpret_cast<const char*>(data), size));
  auto routes = tend::alerts::load_routes(file.path());
  if (!routes) {
    require(routes.error().message.find(file.path()) != std::string::npos,
            "refused routes are named in the error");
    return 0;
  }
  for (const auto& route : routes->routes()) meet(route);
  (void)routes->match(disk_full());
  return 0;
}
