// What etc/ ships for the alert loop: the example routes and coordinator.toml
// load as they are (so an operator who copies them starts a coordinator), and
// the example routes turn typical alerts into the fixes they document.
// etc/alertmanager.yml is checked by amtool (see CMakeLists.txt).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coordinator/alerts/fix_plan.h"
#include "core/coordinator/alerts/route_table.h"
#include "core/coordinator/coordinator_config.h"

namespace tend::alerts {
namespace {

const std::string kEtc = std::string(TEND_SOURCE_DIR) + "/etc/";

Alert alert_of(Labels labels) {
  Alert a;
  a.labels = std::move(labels);
  a.fingerprint = label_fingerprint(a.labels);
  return a;
}

TEST(EtcRoutes, TheExampleLoadsAndRoutesTypicalAlerts) {
  auto routes = load_routes(kEtc + "routes.toml");
  ASSERT_TRUE(routes) << routes.error().message;
  Alert var =
      alert_of({{"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"mountpoint", "/var"}});
  auto plan = plan_fix(routes->match(var), var);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->route->name, "disk-full-var");
  EXPECT_EQ(plan->task.plugin(), "disk-cleanup");
  EXPECT_EQ(plan->task.params().fields().at("path").string_value(), "/var");
  EXPECT_EQ(plan->task.target().hosts(0), "web-01");

  Alert home =
      alert_of({{"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"mountpoint", "/home"}});
  EXPECT_EQ(routes->match(home)->name, "disk-full");
  EXPECT_TRUE(routes->match(home)->requires_approval);

  Alert down =
      alert_of({{"alertname", "ServiceDown"}, {"instance", "web-02:9100"}, {"service", "nginx"}});
  auto restart = plan_fix(routes->match(down), down);
  ASSERT_TRUE(restart) << restart.error().message;
  EXPECT_EQ(restart->task.plugin(), "service-restart");
  EXPECT_EQ(restart->service, "nginx");
  EXPECT_EQ(routes->match(alert_of({{"alertname", "ServiceDown"}, {"service", "sshd"}})), nullptr)
      << "services the routes do not name are escalated";
}

// Every key in it is one tend knows: an unknown one would refuse the start.
TEST(EtcCoordinatorToml, TheExampleLoads) {
  auto config = load_coordinator_config(kEtc + "coordinator.toml");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->alerts.enabled());
  EXPECT_EQ(config->alerts.notifiers.size(), 2u);
  EXPECT_EQ(config->http_listen, "127.0.0.1:9095");
}

// The Limits the example documents are the defaults the coordinator runs with.
TEST(EtcCoordinatorToml, TheExampleLimitsAreTheDefaults) {
  auto config = load_coordinator_config(kEtc + "coordinator.toml");
  ASSERT_TRUE(config) << config.error().message;
  const CoordinatorLimits defaults;
  EXPECT_EQ(config->limits.max_in_flight, defaults.max_in_flight);
  EXPECT_EQ(config->limits.max_nodes, defaults.max_nodes);
  EXPECT_EQ(config->limits.queue.max_events, defaults.queue.max_events);
  EXPECT_EQ(config->limits.queue.max_bytes, defaults.queue.max_bytes);
  const HttpLimits http;
  EXPECT_EQ(config->http.max_connections, http.max_connections);
  EXPECT_EQ(config->http.max_connections_per_client, http.max_connections_per_client);
  EXPECT_EQ(config->http.request_timeout, http.request_timeout);
  EXPECT_EQ(config->http.keep_alive_timeout, http.keep_alive_timeout);
  EXPECT_EQ(config->http.keep_alive_max_requests, http.keep_alive_max_requests);
}

}  // namespace
}  // namespace tend::alerts
