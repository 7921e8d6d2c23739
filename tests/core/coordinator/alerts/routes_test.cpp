// routes.toml: label matchers as Alertmanager writes them, templates filled
// from the alert, and files that are refused with their line and problem.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coordinator/alerts/fix_plan.h"
#include "core/coordinator/alerts/label_matcher.h"
#include "core/coordinator/alerts/param_template.h"
#include "core/coordinator/alerts/route_table.h"

namespace tend::alerts {
namespace {

using ::testing::HasSubstr;

Alert alert_of(Labels labels, Labels annotations = {}) {
  Alert alert;
  alert.labels = std::move(labels);
  alert.annotations = std::move(annotations);
  alert.fingerprint = label_fingerprint(alert.labels);
  return alert;
}

Expected<RouteTable> routes_from(const std::string& text) {
  auto doc = toml::parse(text, std::string_view("routes.toml"));
  return read_routes(doc, "routes.toml");
}

TEST(LabelMatcher, EqualNotEqualAndRegexesOverTheWholeValue) {
  Labels labels{{"severity", "critical"}, {"mountpoint", "/var/log"}};
  EXPECT_TRUE(LabelMatcher::parse("severity=\"critical\"")->matches(labels));
  EXPECT_TRUE(LabelMatcher::parse("severity = critical")->matches(labels));
  EXPECT_FALSE(LabelMatcher::parse("severity!=critical")->matches(labels));
  EXPECT_TRUE(LabelMatcher::parse("mountpoint=~\"/var.*\"")->matches(labels));
  EXPECT_FALSE(LabelMatcher::parse("mountpoint=~\"/var\"")->matches(labels))
      << "a regex matches the whole value, as in Alertmanager";
  EXPECT_TRUE(LabelMatcher::parse("mountpoint!~\"/home.*\"")->matches(labels));
  EXPECT_TRUE(LabelMatcher::parse("env!=\"prod\"")->matches(labels))
      << "a missing label reads as empty";
  EXPECT_FALSE(LabelMatcher::parse("env=~\".+\"")->matches(labels));
}

// An alert's labels come from outside: a huge one against a regex matcher
// is matched in linear time (RE2), never by a recursive matcher that could
// run out of stack and take the coordinator down.
TEST(LabelMatcher, AHugeLabelValueIsMatchedSafely) {
  Labels labels{{"mountpoint", "/" + std::string(1024 * 1024, 'a')}};
  EXPECT_TRUE(LabelMatcher::parse("mountpoint=~\"/.+\"")->matches(labels));
  EXPECT_FALSE(LabelMatcher::parse("mountpoint=~\"(a+)+b\"")->matches(labels));
}

TEST(LabelMatcher, RefusesWhatDoesNotParse) {
  EXPECT_THAT(LabelMatcher::parse("=x").error().message, HasSubstr("must start with a label name"));
  EXPECT_THAT(LabelMatcher::parse("a<b").error().message, HasSubstr("=, !=, =~ or !~"));
  EXPECT_THAT(LabelMatcher::parse("a=~\"(\"").error().message, HasSubstr("does not compile"));
}

TEST(ParamTemplate, FillsLabelsAnnotationsAndTheHostWithoutItsPort) {
  Alert alert =
      alert_of({{"alertname", "DiskFull"}, {"instance", "web-01.dc1:9100"}, {"mountpoint", "/var"}},
               {{"summary", "92% full"}});
  EXPECT_EQ(*TextTemplate::parse("{{ labels.mountpoint }}/log")->render(alert), "/var/log");
  EXPECT_EQ(*TextTemplate::parse("{{host}}")->render(alert), "web-01.dc1");
  EXPECT_EQ(*TextTemplate::parse("{{ short_host }}")->render(alert), "web-01");
  EXPECT_EQ(*TextTemplate::parse("{{ annotations.summary }}")->render(alert), "92% full");
  EXPECT_EQ(without_port("[::1]:9100"), "::1");
  EXPECT_EQ(without_port("10.0.0.1:9100"), "10.0.0.1");
  EXPECT_EQ(without_port("web-01"), "web-01");

  auto missing = TextTemplate::parse("{{ labels.service }}")->render(alert);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("no label 'service'"));
  EXPECT_THAT(TextTemplate::parse("{{ label.x }}").error().message,
              HasSubstr("not a placeholder tend knows"));
  EXPECT_THAT(TextTemplate::parse("{{ host").error().message, HasSubstr("without closing"));
}

constexpr const char* kRoutes = R"(
[[route]]
name = "disk-full-var"
alert = "DiskFull"
matchers = ['mountpoint=~"/var.*"', 'env!="staging"']
plugin = "disk-cleanup"
params = { paths = ["{{ labels.mountpoint }}/log"], max_age_days = 7, dry = false }
prior_confidence = 0.95
risk = "low"
verify_within = "10m"
silence = true
timeout_s = 120

[[route]]
alert = "DiskFull"
plugin = "noop"

[[route]]
alert = "ServiceDown"
plugin = "service-restart"
params = { service = "{{ labels.service }}" }
target = { roles = ["{{ labels.role }}"] }
requires_approval = true
)";

TEST(RouteTable, FirstMatchingRouteWinsInFileOrder) {
  auto routes = routes_from(kRoutes);
  ASSERT_TRUE(routes) << routes.error().message;
  ASSERT_EQ(routes->routes().size(), 3u);
  auto var = routes->match(alert_of({{"alertname", "DiskFull"}, {"mountpoint", "/var"}}));
  ASSERT_TRUE(var);
  EXPECT_EQ(var->name, "disk-full-var");
  EXPECT_DOUBLE_EQ(var->prior_confidence, 0.95);
  EXPECT_EQ(var->verify_within, std::chrono::minutes(10));
  EXPECT_TRUE(var->silence);
  auto staging = routes->match(
      alert_of({{"alertname", "DiskFull"}, {"mountpoint", "/var"}, {"env", "staging"}}));
  ASSERT_TRUE(staging);
  EXPECT_EQ(staging->name, "DiskFull") << "a route's name defaults to its alert";
  EXPECT_EQ(routes->match(alert_of({{"alertname", "CpuHot"}})), nullptr);
}

TEST(FixPlan, MakesTheTaskFromTheAlert) {
  auto routes = routes_from(kRoutes);
  ASSERT_TRUE(routes);
  Alert alert =
      alert_of({{"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"mountpoint", "/var"}},
               {{"summary", "disk 92% full"}});
  auto plan = plan_fix(routes->match(alert), alert);
  ASSERT_TRUE(plan) << plan.error().message;
  const tend::Task& task = plan->task;
  EXPECT_EQ(task.plugin(), "disk-cleanup");
  EXPECT_EQ(task.params().fields().at("paths").list_value().values(0).string_value(), "/var/log");
  EXPECT_EQ(task.params().fields().at("max_age_days").number_value(), 7);
  EXPECT_FALSE(task.params().fields().at("dry").bool_value());
  ASSERT_EQ(task.target().hosts_size(), 1);
  EXPECT_EQ(task.target().hosts(0), "web-01") << "the default target is the alert's host";
  EXPECT_EQ(task.timeout_s(), 120u);
  EXPECT_EQ(task.reason(), "DiskFull on web-01: disk 92% full (route disk-full-var)");
  EXPECT_EQ(plan->host, "web-01");
  EXPECT_EQ(plan->service, "disk-cleanup") << "no service label: the plugin stands for it";

  Alert down = alert_of({{"alertname", "ServiceDown"},
                         {"service", "nginx"},
                         {"role", "web"},
                         {"instance", "web-02:9100"}});
  auto restart = plan_fix(routes->match(down), down);
  ASSERT_TRUE(restart) << restart.error().message;
  EXPECT_EQ(restart->task.target().roles(0), "web");
  EXPECT_EQ(restart->service, "nginx");
}

TEST(FixPlan, AnAlertThatCannotMakeATaskSaysWhy) {
  auto routes = routes_from(kRoutes);
  ASSERT_TRUE(routes);
  Alert no_service = alert_of({{"alertname", "ServiceDown"}, {"role", "web"}});
  auto plan = plan_fix(routes->match(no_service), no_service);
  ASSERT_FALSE(plan);
  EXPECT_THAT(plan.error().message, HasSubstr("params.service: the alert has no label 'service'"));

  Alert dotted = alert_of({{"alertname", "DiskFull"}, {"instance", "web-01.dc1:9100"}});
  auto bad_host = plan_fix(routes->match(dotted), dotted);
  ASSERT_FALSE(bad_host);
  EXPECT_THAT(bad_host.error().message, HasSubstr("target host"));
}

TEST(RouteTable, ABadFileIsRefusedWithItsLineAndProblem) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\npriority = 3\n",
       "routes.toml:4: unknown key 'priority' in [[route]]"},
      {"[[route]]\nalert = \"A\"\n", "routes.toml:1: the route needs plugin"},
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\nmatchers = ['a<b']\n",
       "routes.toml:4: matcher 'a<b'"},
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\nprior_confidence = 1.5\n",
       "routes.toml:4: prior_confidence must be a number from 0 to 1"},
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\nparams = { p = \"{{ lables.x }}\" }\n",
       "routes.toml:4: params.p"},
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\n[[route]]\nalert = \"A\"\nplugin = \"x\"\n",
       "routes.toml:4: route name 'A' is used twice"},
      {"[[route]]\nplugin = \"noop\"\n", "matches every alert"},
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\ntarget = { hosts = [] }\n",
       "target names no nodes"},
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\nrisk = \"extreme\"\n",
       "routes.toml:4: risk 'extreme'"},
      {"[routes]\n", "routes.toml:1: unknown section '[routes]' (known: [[route]])"},
      {"[[route]]\nalert = \"A\"\nplugin = \"noop\"\ntarget = { host = [\"h\"] }\n",
       "routes.toml:4: unknown key 'host' in [[route]] target (known: hosts, roles, tags, all)"},
  };
  for (const auto& c : cases) {
    auto routes = routes_from(c.text);
    ASSERT_FALSE(routes) << c.text;
    EXPECT_THAT(routes.error().message, HasSubstr(c.error)) << c.text;
  }
}

// Just within each bound a route is read; just past it, refused naming the
// line, the key and the limit.
TEST(RouteTable, MatchersNamesAndDurationsHaveBounds) {
  auto verdict = [](const std::string& route) {
    auto table = routes_from("[[route]]\nplugin = \"noop\"\n" + route);
    return table ? std::string("(read)") : table.error().message;
  };
  const std::string pattern(kMaxMatcherBytes - 7, 'x');  // job=~"...": 7 more bytes
  EXPECT_EQ(verdict("matchers = ['job=~\"" + pattern + "\"']\nname = \"p\""), "(read)");
  EXPECT_EQ(verdict("matchers = ['job=~\"" + pattern + "x\"']\nname = \"p\""),
            "routes.toml:3: matchers[0] is 1025 bytes; the limit is 1024");
  std::string many;
  for (size_t i = 0; i <= kMaxMatchersPerRoute; ++i) many += "'a=\"b\"',";
  EXPECT_EQ(verdict("alert = \"A\"\nmatchers = [" + many + "]"),
            "routes.toml:4: matchers has 33 items; the limit is 32");
  EXPECT_EQ(verdict("alert = \"A\"\nname = \"" + std::string(kMaxRouteNameBytes, 'n') + "\""),
            "(read)");
  EXPECT_EQ(verdict("alert = \"A\"\nname = \"" + std::string(kMaxRouteNameBytes + 1, 'n') + "\""),
            "routes.toml:4: name is 257 bytes; the limit is 256");
  EXPECT_EQ(verdict("alert = \"A\"\nverify_within = \"1d\""), "(read)");
  EXPECT_EQ(verdict("alert = \"A\"\nverify_within = \"86401s\""),
            "routes.toml:4: verify_within 86401 is out of range: use 0 to 86400 s");
  EXPECT_EQ(verdict("alert = \"A\"\nparams = { command = \"" + std::string(4097, 'c') + "\" }"),
            "routes.toml:4: route[0].params.command is 4097 bytes; the limit is 4096");
}

TEST(RouteTable, AMissingFileIsNamed) {
  auto routes = load_routes("/nonexistent/routes.toml");
  ASSERT_FALSE(routes);
  EXPECT_THAT(routes.error().message, HasSubstr("/nonexistent/routes.toml"));
}

}  // namespace
}  // namespace tend::alerts
