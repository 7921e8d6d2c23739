// From alert to fix with every part real: Prometheus's place is taken by the
// test pushing alerts into a real prometheus-alertmanager, which calls the
// real tend-coordinator's webhook; real agents run the fix; PostgreSQL keeps
// the incident, the knowledge base and the audit trail.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "schemas/alert.pb.h"
#include "schemas/escalation.pb.h"
#include "tests/integration/alert_stack.h"
#include "tests/plugins/support/loopback_http_server.h"
#include "tests/support/child_process.h"
#include "tests/support/eventually.h"
#include "tests/support/message_inbox.h"
#include "tests/support/tmpfs_mount.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr const char* kRoutes = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "noop"
params = { sleep_ms = 100 }
prior_confidence = 0.95
)";

const std::map<std::string, std::string> kDiskFull{
    {"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"severity", "critical"}};

#define SKIP_WITHOUT_PARTS(stack)                                                            \
  if (!(stack).available()) GTEST_SKIP() << "TEND_TEST_PG_URL is not set: run scripts/test"; \
  if (Alertmanager::program().empty()) GTEST_SKIP() << "prometheus-alertmanager is not installed"

Expected<Completed> tendctl(AlertStack& s, const std::vector<std::string>& args) {
  static int runs = 0;
  std::vector<std::string> argv = {built_tendctl().string(), "--server", s.stack().nats_url()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_to_completion(argv, s.stack().dir().path(), "tendctl-" + std::to_string(++runs), 30s);
}

TEST(Alerts, AlertmanagerFiresAndARealAgentRunsTheFix) {
  AlertStack s({.routes = kRoutes});
  SKIP_WITHOUT_PARTS(s);
  ASSERT_TRUE(s.start()) << s.stack().logs();
  auto am = s.alertmanager();
  ASSERT_TRUE(am) << am.error().message;

  ASSERT_TRUE((*am)->fire(kDiskFull, {{"summary", "disk 92% full"}}));
  EXPECT_EQ(s.wait_for("SELECT status || ' ' || outcome FROM incidents", "closed verified", 20s),
            "closed verified")
      << s.stack().logs() << (*am)->log();
  const std::string task_id = s.text("SELECT task_id FROM incidents");
  EXPECT_EQ(s.text(fmt::format("SELECT origin FROM tasks WHERE id = '{}'", task_id)), "alert");
  EXPECT_EQ(s.wait_for(fmt::format("SELECT host || ' ' || status FROM results WHERE task_id = '{}'",
                                   task_id),
                       "web-01 SUCCEEDED", 10s),
            "web-01 SUCCEEDED")
      << "the fix ran on the alert's host, and only there";
  EXPECT_EQ(s.count("SELECT count(*) FROM results"), 1);
  EXPECT_EQ(s.wait_for("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action IN "
                       "('alert', 'decision', 'fix', 'outcome')",
                       "alert,decision,fix,outcome", 10s),
            "alert,decision,fix,outcome");

  auto listed = tendctl(s, {"incidents"});
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->exit_code, 0) << listed->err;
  EXPECT_THAT(listed->out, HasSubstr("DiskFull"));
  EXPECT_THAT(listed->out, HasSubstr("verified"));
  EXPECT_THAT(listed->out, HasSubstr("1 incident, 0 open"));

  // The knowledge base learned from it.
  auto kb = tendctl(s, {"kb"});
  ASSERT_TRUE(kb) << kb.error().message;
  EXPECT_EQ(kb->exit_code, 0) << kb->err;
  EXPECT_THAT(kb->out, HasSubstr("disk-full  noop"));
  EXPECT_THAT(kb->out, HasSubstr("verified"));
  EXPECT_EQ(s.text("SELECT successes FROM knowledge_base WHERE pattern = 'disk-full'"), "1");
  auto demoted = tendctl(s, {"kb", "demote", "disk-full", "--reason", "disk layout changed"});
  ASSERT_TRUE(demoted) << demoted.error().message;
  EXPECT_EQ(demoted->exit_code, 0) << demoted->err;
  EXPECT_THAT(demoted->out, HasSubstr("disk-full (noop): now approval"));
  EXPECT_EQ(s.wait_for("SELECT reason FROM audit_log WHERE action = 'kb-demote'",
                       "disk layout changed", 10s),
            "disk layout changed");
  auto unknown = tendctl(s, {"kb", "promote", "no-such", "--reason", "x"});
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->exit_code, 2);
  EXPECT_THAT(unknown->err, HasSubstr("no pattern 'no-such'"));

  // The alert ends: nothing new starts.
  ASSERT_TRUE((*am)->resolve(kDiskFull));
  std::this_thread::sleep_for(3s);  // two group intervals: the resolved notification is out
  EXPECT_EQ(s.count("SELECT count(*) FROM tasks"), 1);
  EXPECT_EQ(s.count("SELECT count(*) FROM incidents"), 1);
}

// The loop end to end on a real full disk: Alertmanager fires DiskFull for
// web-01's mount, the route sends disk-cleanup with the mount from the
// alert's labels, the plugin deletes old logs until usage is below the
// target, and its verify (usage read again) closes the incident verified.
TEST(Alerts, AFullDiskIsCleanedUpByDiskCleanupAndTheFixIsVerified) {
  std::string why;
  auto disk = TmpfsMount::mount(16 << 20, why);
  if (!disk) GTEST_SKIP() << why;
  const auto logs = disk->path() / "log";
  std::filesystem::create_directory(logs);
  const auto month_ago = std::filesystem::file_time_type::clock::now() - std::chrono::days(30);
  for (int i = 0; i < 7; ++i) {  // 14 MiB of a 16 MiB disk: about 88% used
    const auto file = logs / fmt::format("app.log.{}", i + 1);
    std::ofstream(file) << std::string(2 << 20, 'x');
    std::filesystem::last_write_time(file, month_ago);
  }

  AlertStack s({.routes = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "disk-cleanup"
params = { path = "{{ labels.mountpoint }}", target_usage = 50 }
prior_confidence = 0.95
)",
                .agents = {{"web-01",
                            "web",
                            {},
                            std::nullopt,
                            fmt::format("[plugin.disk-cleanup]\nlogs = [\"{}\"]\n", logs.string())},
                           {"web-02", "web", {}}}});
  SKIP_WITHOUT_PARTS(s);
  ASSERT_TRUE(s.start()) << s.stack().logs();
  auto am = s.alertmanager();
  ASSERT_TRUE(am) << am.error().message;

  auto labels = kDiskFull;
  labels["mountpoint"] = disk->path().string();
  ASSERT_TRUE((*am)->fire(labels, {{"summary", "disk 88% full"}}));
  EXPECT_EQ(s.wait_for("SELECT status || ' ' || outcome FROM incidents", "closed verified", 30s),
            "closed verified")
      << s.stack().logs() << (*am)->log();
  const std::string task_id = s.text("SELECT task_id FROM incidents");
  // The incident can close before the store's writer has committed its batch.
  EXPECT_EQ(s.wait_for(fmt::format("SELECT host || ' ' || status || ' ' || verified FROM results "
                                   "WHERE task_id = '{}'",
                                   task_id),
                       "web-01 SUCCEEDED true", 10s),
            "web-01 SUCCEEDED true");
  std::error_code ec;
  const auto space = std::filesystem::space(disk->path(), ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_LT(static_cast<double>(space.capacity - space.available) / space.capacity, 0.5)
      << "below the route's target_usage";
  EXPECT_LT(std::distance(std::filesystem::directory_iterator(logs), {}), 7)
      << "old logs were deleted";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

// Polls the coordinator's metrics file until it holds `line`.
bool metrics_show(AlertStack& s, const std::string& line, std::chrono::seconds timeout) {
  const auto file = s.stack().coordinator_metrics_dir() / "tend_coordinator.prom";
  return eventually([&] { return read_file(file).find(line) != std::string::npos; }, timeout,
                    200ms);
}

TEST(Alerts, AFixThatMustBeApprovedRunsAfterTendctlApprove) {
  AlertStack s({.routes = R"(
[[route]]
name = "service-down"
alert = "ServiceDown"
plugin = "noop"
requires_approval = true
prior_confidence = 0.95
)"});
  SKIP_WITHOUT_PARTS(s);
  ASSERT_TRUE(s.start()) << s.stack().logs();
  auto am = s.alertmanager();
  ASSERT_TRUE(am) << am.error().message;
  ASSERT_TRUE((*am)->fire({{"alertname", "ServiceDown"}, {"instance", "web-02:9100"}},
                          {{"summary", "nginx is down"}}));
  ASSERT_EQ(s.wait_for("SELECT state FROM approvals", "pending", 20s), "pending")
      << s.stack().logs();
  EXPECT_TRUE(metrics_show(s, "tend_coordinator_pending_approvals 1", 10s));
  const std::string task_id = s.text("SELECT task_id FROM approvals");

  auto pending = tendctl(s, {"pending"});
  ASSERT_TRUE(pending) << pending.error().message;
  EXPECT_EQ(pending->exit_code, 0) << pending->err;
  EXPECT_THAT(pending->out, HasSubstr(task_id));
  EXPECT_THAT(pending->out, HasSubstr("ServiceDown on web-02: nginx is down"));
  EXPECT_THAT(pending->out, HasSubstr("the route requires approval"));
  EXPECT_EQ(s.count("SELECT count(*) FROM tasks"), 0) << "nothing ran before the approval";

  auto approved = tendctl(s, {"approve", task_id, "--comment", "restart is fine at night"});
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->exit_code, 0) << approved->err;
  EXPECT_THAT(approved->out, HasSubstr("approved: noop runs on hosts=web-02"));
  EXPECT_EQ(s.wait_for("SELECT status || ' ' || outcome FROM incidents", "closed verified", 20s),
            "closed verified")
      << s.stack().logs();
  EXPECT_EQ(s.wait_for(fmt::format("SELECT host FROM results WHERE task_id = '{}'", task_id),
                       "web-02", 10s),
            "web-02");
  EXPECT_EQ(s.wait_for("SELECT reason FROM audit_log WHERE action = 'approve'",
                       "restart is fine at night", 10s),
            "restart is fine at night");
  EXPECT_TRUE(metrics_show(s, "tend_coordinator_pending_approvals 0", 10s));

  auto again = tendctl(s, {"deny", task_id});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->exit_code, 2);
  EXPECT_THAT(again->err, HasSubstr("no fix waits for approval"));
}

TEST(Alerts, TheEmergencyStopOutlivesACoordinatorRestartUntilResume) {
  AlertStack s({.routes = kRoutes});
  SKIP_WITHOUT_PARTS(s);
  ASSERT_TRUE(s.start()) << s.stack().logs();
  auto am = s.alertmanager();
  ASSERT_TRUE(am) << am.error().message;

  auto paused = tendctl(s, {"pause", "--all", "--reason", "storage maintenance"});
  ASSERT_TRUE(paused) << paused.error().message;
  EXPECT_EQ(paused->exit_code, 0) << paused->err;
  ASSERT_EQ(s.wait_for("SELECT active::text FROM alert_controls", "true", 10s), "true");

  ASSERT_TRUE((*am)->fire(kDiskFull));
  EXPECT_EQ(s.wait_for("SELECT status FROM incidents", "escalated", 20s), "escalated")
      << s.stack().logs();
  EXPECT_THAT(s.text("SELECT why FROM incidents"), HasSubstr("emergency stop by"));

  // The coordinator dies and comes back: it is still stopped.
  s.stack().coordinator().kill9();
  ASSERT_TRUE(s.stack().start_coordinator());
  auto listed = read_until([&] { return tendctl(s, {"breakers"}); },
                           [](const auto& ctl) { return !ctl || ctl->exit_code == 0; }, 10s, 200ms);
  ASSERT_TRUE(listed) << listed.error().message;
  EXPECT_EQ(listed->exit_code, 0) << listed->err;
  EXPECT_THAT(listed->out, HasSubstr("EMERGENCY STOP"));
  EXPECT_THAT(listed->out, HasSubstr("storage maintenance"));
  const std::map<std::string, std::string> other{{"alertname", "DiskFull"},
                                                 {"instance", "web-02:9100"}};
  ASSERT_TRUE((*am)->fire(other));
  EXPECT_EQ(s.wait_for("SELECT count(*) FROM incidents WHERE status = 'escalated'", "2", 20s), "2")
      << s.stack().logs();
  EXPECT_EQ(s.count("SELECT count(*) FROM tasks"), 0);

  auto resumed = tendctl(s, {"resume", "--all"});
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->exit_code, 0) << resumed->err;
  ASSERT_EQ(s.wait_for("SELECT active::text FROM alert_controls", "false", 10s), "false");
  const std::map<std::string, std::string> third{
      {"alertname", "DiskFull"}, {"instance", "web-01:9100"}, {"mountpoint", "/srv"}};
  ASSERT_TRUE((*am)->fire(third));
  EXPECT_EQ(s.wait_for("SELECT count(*) FROM incidents WHERE outcome = 'verified'", "1", 20s), "1")
      << s.stack().logs();
  EXPECT_EQ(s.wait_for("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action "
                       "LIKE 'emergency-%'",
                       "emergency-stop,emergency-resume", 10s),
            "emergency-stop,emergency-resume");
}

// Slack and PagerDuty cannot be reached from here: local HTTP servers stand in
// for them and keep what they are sent.
class StandIn {
 public:
  StandIn()
      : server_([this](httplib::Server& s) {
          s.Post("/in", [this](const httplib::Request& req, httplib::Response&) {
            std::lock_guard lock(mu_);
            bodies_.push_back(nlohmann::json::parse(req.body, nullptr, false));
          });
        }) {}
  std::string url() const { return server_.url("/in"); }
  // Waits for the `n`th message (from 1).
  nlohmann::json wait(size_t n, std::chrono::seconds timeout) {
    nlohmann::json body = nullptr;
    eventually(
        [&] {
          std::lock_guard lock(mu_);
          if (bodies_.size() < n) return false;
          body = bodies_[n - 1];
          return true;
        },
        timeout, 50ms);
    return body;
  }

 private:
  std::mutex mu_;
  std::vector<nlohmann::json> bodies_;
  LoopbackHttpServer server_;
};

TEST(Alerts, AnAlertNoRouteCoversReachesAHumanOnNatsSlackAndPagerDuty) {
  StandIn slack, pagerduty;
  AlertStack s({.routes = kRoutes,
                .extra_config = fmt::format("\n[[escalation.notifier]]\nkind = \"slack\"\nurl = "
                                            "\"{}\"\n\n[[escalation.notifier]]\nkind = "
                                            "\"pagerduty\"\nurl = \"{}\"\nrouting_key = \"K3Y\"\n",
                                            slack.url(), pagerduty.url())});
  SKIP_WITHOUT_PARTS(s);
  ASSERT_TRUE(s.start()) << s.stack().logs();
  MessageInbox escalations;
  auto sub = s.stack().client().subscribe("tend.escalation", escalations.handler());
  ASSERT_TRUE(sub && s.stack().client().flush(2s));
  auto am = s.alertmanager();
  ASSERT_TRUE(am) << am.error().message;
  const std::map<std::string, std::string> labels{
      {"alertname", "KernelPanic"}, {"instance", "db-01:9100"}, {"severity", "critical"}};
  ASSERT_TRUE((*am)->fire(labels, {{"summary", "db-01 rebooted twice"}}));

  auto msg = escalations.next(20s);
  ASSERT_TRUE(msg) << s.stack().logs();
  auto escalation = decode_as<tend::Escalation>(*msg);
  ASSERT_TRUE(escalation) << escalation.error().message;
  EXPECT_EQ(escalation->kind(), "escalation");
  EXPECT_THAT(escalation->what_fired(), HasSubstr("KernelPanic on db-01: db-01 rebooted twice"));
  EXPECT_EQ(escalation->generator_url(), "http://prometheus.test/graph");

  auto chat = slack.wait(1, 20s);
  ASSERT_FALSE(chat.is_null()) << s.stack().logs();
  EXPECT_THAT(chat["text"].get<std::string>(), HasSubstr("KernelPanic on db-01: escalated"));
  EXPECT_THAT(chat["blocks"][1]["text"]["text"].get<std::string>(),
              HasSubstr("*What was tried:* nothing: no route covers this alert"));
  auto page = pagerduty.wait(1, 20s);
  ASSERT_FALSE(page.is_null());
  EXPECT_EQ(page["event_action"], "trigger");
  EXPECT_EQ(page["routing_key"], "K3Y");
  EXPECT_EQ(page["payload"]["severity"], "critical");

  ASSERT_TRUE((*am)->resolve(labels));
  auto resolved = pagerduty.wait(2, 20s);
  ASSERT_FALSE(resolved.is_null()) << s.stack().logs();
  EXPECT_EQ(resolved["event_action"], "resolve");
  EXPECT_EQ(resolved["dedup_key"], page["dedup_key"]);
}

TEST(Alerts, AFixIsVerifiedWhenItsSilencedAlertResolvesAndTheSilenceIsLifted) {
  AlertStack s({.routes = R"(
[[route]]
name = "disk-full"
alert = "DiskFull"
plugin = "noop"
prior_confidence = 0.95
verify_within = "2m"
silence = true
)"});
  SKIP_WITHOUT_PARTS(s);
  // Alertmanager first: the coordinator is told where it is.
  auto am = s.alertmanager();
  ASSERT_TRUE(am) << am.error().message;
  s.add_config(fmt::format("alertmanager = [\"{}\"]\npoll_interval = \"1s\"\n", (*am)->url()));
  ASSERT_TRUE(s.start()) << s.stack().logs();

  ASSERT_TRUE((*am)->fire(kDiskFull, {{"summary", "disk 92% full"}}));
  // The fix ran and its plugin verified it; the alert still fires.
  ASSERT_EQ(s.wait_for("SELECT status FROM incidents", "verifying", 20s), "verifying")
      << s.stack().logs();
  const std::string silence_id = s.text("SELECT silence_id FROM incidents");
  ASSERT_FALSE(silence_id.empty());
  auto silences = (*am)->silences();
  ASSERT_TRUE(silences) << silences.error().message;
  ASSERT_EQ(silences->size(), 1u);
  EXPECT_EQ((*silences)[0]["id"], silence_id);
  EXPECT_EQ((*silences)[0]["status"]["state"], "active");
  EXPECT_EQ((*silences)[0]["createdBy"], "tend");
  EXPECT_THAT((*silences)[0]["comment"].get<std::string>(), HasSubstr("tend is fixing this: noop"));

  // Prometheus sees the disk free: the alert ends. Silenced, it sends no
  // resolved notification; tend asks Alertmanager.
  ASSERT_TRUE((*am)->resolve(kDiskFull));
  EXPECT_EQ(s.wait_for("SELECT status || ' ' || outcome FROM incidents", "closed verified", 20s),
            "closed verified")
      << s.stack().logs();
  EXPECT_THAT(s.text("SELECT resolution FROM incidents"),
              HasSubstr("verified: the alert resolved"));
  EXPECT_GT(s.count("SELECT time_to_remediate_ms FROM incidents"), 0);
  silences = (*am)->silences();
  ASSERT_TRUE(silences);
  EXPECT_EQ((*silences)[0]["status"]["state"], "expired") << "lifted once the fix was verified";
  EXPECT_EQ(s.wait_for("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action "
                       "LIKE 'silence%'",
                       "silence,silence-expired", 10s),
            "silence,silence-expired");
  EXPECT_EQ(s.text("SELECT successes FROM knowledge_base"), "1");
}

TEST(Alerts, AnHaPairOfAlertmanagersMakesOneIncidentAndOneFix) {
  // DiskFilling stays open until the alert resolves, so a second copy of it
  // shows as a repeat of the same incident.
  AlertStack s({.routes = std::string(kRoutes) + R"(
[[route]]
name = "disk-filling"
alert = "DiskFilling"
plugin = "noop"
prior_confidence = 0.95
verify_within = "5m"
)"});
  SKIP_WITHOUT_PARTS(s);
  ASSERT_TRUE(s.start()) << s.stack().logs();

  // A healthy pair, clustered: Prometheus sends every alert to both.
  auto first = s.alertmanager({}, /*clustered=*/true);
  ASSERT_TRUE(first) << first.error().message;
  auto second = s.alertmanager({(*first)->cluster_port()}, /*clustered=*/true);
  ASSERT_TRUE(second) << second.error().message;
  ASSERT_TRUE((*first)->fire(kDiskFull));
  ASSERT_TRUE((*second)->fire(kDiskFull));
  EXPECT_EQ(s.wait_for("SELECT count(*) FROM incidents WHERE status = 'closed'", "1", 20s), "1")
      << s.stack().logs();

  // A pair whose cluster link is down: each notifies on its own, so tend
  // hears the same alert twice and must make one occurrence of it.
  const std::map<std::string, std::string> other{{"alertname", "DiskFilling"},
                                                 {"instance", "web-02:9100"}};
  auto lone_a = s.alertmanager();
  ASSERT_TRUE(lone_a) << lone_a.error().message;
  auto lone_b = s.alertmanager();
  ASSERT_TRUE(lone_b) << lone_b.error().message;
  ASSERT_TRUE((*lone_a)->fire(other));
  ASSERT_TRUE((*lone_b)->fire(other));
  EXPECT_EQ(s.wait_for("SELECT repeats FROM incidents WHERE host = 'web-02'", "1", 20s), "1")
      << "both notifications reached tend\n"
      << s.stack().logs();
  std::this_thread::sleep_for(2s);  // anything more either sends arrives meanwhile
  EXPECT_EQ(s.count("SELECT count(*) FROM incidents"), 2);
  EXPECT_EQ(s.count("SELECT count(*) FROM tasks WHERE origin = 'alert'"), 2) << "one fix each";
}

TEST(Alerts, BadRoutesStopAStartAndAReloadNamingFileLineAndProblem) {
  TempDir dir("tend-bad-routes");
  auto routes = dir.write("routes.toml",
                          "[[route]]\nalert = \"DiskFull\"\nplugin = \"noop\"\n"
                          "matchers = ['severity=~\"(\"']\n");
  auto config = dir.write("coordinator.toml",
                          fmt::format("[database]\nurl = \"postgresql://nowhere\"\n[alerts]\n"
                                      "routes = \"{}\"\n",
                                      routes.string()));
  auto refused = run_to_completion({TEND_COORDINATOR_PATH, "--config", config.string()}, dir.path(),
                                   "coordinator", 10s);
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_NE(refused->exit_code, 0);
  EXPECT_THAT(refused->err, HasSubstr(routes.string() + ":4: matcher 'severity=~\"(\"'"));
  EXPECT_THAT(refused->err, HasSubstr("does not compile"));

  AlertStack s({.routes = kRoutes});
  SKIP_WITHOUT_PARTS(s);
  ASSERT_TRUE(s.start()) << s.stack().logs();
  // A broken file on SIGHUP: the old routes stay in use.
  write_file(s.routes_path(), "[[route]]\nalert = \"DiskFull\"\nplugn = \"noop\"\n");
  kill(s.stack().coordinator().pid(), SIGHUP);
  const std::string why = s.routes_path().string() + ":3: unknown key 'plugn'";
  eventually([&] { return s.stack().coordinator().log().find(why) != std::string::npos; }, 5s,
             50ms);
  EXPECT_THAT(s.stack().coordinator().log(), HasSubstr("routes not reloaded, the old ones stay"));
  EXPECT_THAT(s.stack().coordinator().log(), HasSubstr(why));
  // A good one replaces them.
  write_file(s.routes_path(),
             "[[route]]\nname = \"cpu\"\nalert = \"CpuHot\"\nplugin = \"noop\"\n"
             "prior_confidence = 0.99\n");
  kill(s.stack().coordinator().pid(), SIGHUP);
  eventually(
      [&] {
        return s.stack().coordinator().log().find("1 route(s) reloaded") != std::string::npos;
      },
      5s, 50ms);
  auto am = s.alertmanager();
  ASSERT_TRUE(am) << am.error().message;
  ASSERT_TRUE((*am)->fire({{"alertname", "CpuHot"}, {"instance", "web-01:9100"}}));
  EXPECT_EQ(s.wait_for("SELECT pattern || ' ' || outcome FROM incidents", "cpu verified", 20s),
            "cpu verified")
      << s.stack().logs();
}

}  // namespace
}  // namespace tend::testing
