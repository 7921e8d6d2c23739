// service-restart, through its real .so as the runner loads it. This machine
// runs no systemd, so the operator's commands are set to
// service_manager.sh, which manages a real background process with a
// pidfile, as an init script does. The health URL is a real HTTP server on
// 127.0.0.1 that answers 200 only while that process is alive.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/plugins/support/loopback_http_server.h"
#include "tests/support/child_process.h"
#include "tests/support/eventually.h"
#include "tests/support/plugin_harness.h"
#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using testing::LoopbackHttpServer;
using testing::PluginHarness;
using ::testing::StartsWith;

// Alive and not a zombie: an ended child nobody has reaped yet is gone.
bool process_alive(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, comm, state;
  return static_cast<bool>(stat >> pid_field >> comm >> state) && state != "Z";
}

class ServiceRestart : public ::testing::Test {
 protected:
  void TearDown() override { manage("stop", "web"); }

  // The test's own hand on the service, through the same manager.
  void manage(const std::string& action, const std::string& name) {
    auto done = testing::run_to_completion({TEND_SERVICE_MANAGER, state(), action, name},
                                           dir_.path(), "manage", 10s);
    ASSERT_TRUE(done) << done.error().message;
    EXPECT_LE(done->exit_code, 3) << done->err;
  }

  std::string state() const { return dir_.path().string(); }

  pid_t pid_of(const std::string& name) const {
    std::ifstream in(dir_.path() / (name + ".pid"));
    pid_t pid = 0;
    in >> pid;
    return pid;
  }

  // When each restart was asked for, in seconds.
  std::vector<double> restarts(const std::string& name) const {
    std::ifstream in(dir_.path() / (name + ".restarts"));
    std::vector<double> times;
    for (double t; in >> t;) times.push_back(t);
    return times;
  }

  // [plugin.service-restart] as an operator of a node without systemd writes it.
  std::string settings(const std::string& allow = R"(["web"])") const {
    std::string manager = std::string("\"") + TEND_SERVICE_MANAGER + "\", \"" + state() + "\"";
    return "allow = " + allow + "\nrestart_command = [" + manager +
           ", \"restart\", \"{service}\"]\nstatus_command = [" + manager +
           ", \"status\", \"{service}\"]\n";
  }

  PluginHarness plugin(const std::string& toml) {
    auto harness = PluginHarness::load(TEND_PLUGIN_FILE);
    EXPECT_TRUE(harness) << harness.error().message;
    auto set = harness->set_settings(toml);
    EXPECT_TRUE(set) << set.error().message;
    return std::move(*harness);
  }
  PluginHarness plugin() { return plugin(settings()); }

  std::string restart_line() const {
    return std::string(TEND_SERVICE_MANAGER) + " " + state() + " restart web";
  }

  testing::TempDir dir_{"tend-service-restart"};
  std::atomic<int> flaky_hits_ = 0;
  // Declared last, so it stops before the directory it reads goes away.
  LoopbackHttpServer health_{[this](httplib::Server& s) {
    s.Get("/health", [this](const auto&, auto& res) {
      res.status = process_alive(pid_of("web")) ? 200 : 503;
    });
    s.Get("/broken", [](const auto&, auto& res) { res.status = 500; });
    // Up for one look, then down: a service that crashes soon after starting.
    s.Get("/flaky",
          [this](const auto&, auto& res) { res.status = ++flaky_hits_ == 1 ? 200 : 503; });
  }};
};

TEST_F(ServiceRestart, ADeadServiceIsRestartedAndVerified) {
  auto outcome =
      plugin().run(R"({"service": "web", "health_url": ")" + health_.url("/health") + "\"}");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_TRUE(outcome->verified);
  EXPECT_THAT(outcome->summary, StartsWith("restarted web on attempt 1 of 3: inactive -> active; " +
                                           health_.url("/health") + " answered 200 in "));
  EXPECT_EQ(outcome->outputs.at("service"), "web");
  EXPECT_EQ(outcome->outputs.at("before"), "inactive");
  EXPECT_EQ(outcome->outputs.at("after"), "active");
  EXPECT_EQ(outcome->figures.at("services_restarted"), 1);
  EXPECT_EQ(outcome->figures.at("attempts"), 1);
  EXPECT_TRUE(process_alive(pid_of("web")));
  EXPECT_EQ(restarts("web").size(), 1u);
}

TEST_F(ServiceRestart, AServiceThatIsUpIsLeftAloneUnlessForced) {
  manage("start", "web");
  pid_t running = pid_of("web");
  ASSERT_TRUE(process_alive(running));
  std::string url = health_.url("/health");

  auto left = plugin().run(R"({"service": "web", "health_url": ")" + url + "\"}");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_TRUE(left->succeeded) << left->error;
  EXPECT_THAT(left->summary, AllOf(StartsWith("web is active; " + url + " answered 200"),
                                   HasSubstr("nothing to do (force=true restarts it anyway)")));
  EXPECT_EQ(pid_of("web"), running);
  EXPECT_TRUE(restarts("web").empty());

  auto forced = plugin().run(R"({"service": "web", "force": true})");
  ASSERT_TRUE(forced) << forced.error().message;
  EXPECT_TRUE(forced->succeeded) << forced->error;
  EXPECT_EQ(forced->figures.at("services_restarted"), 1);
  EXPECT_EQ(forced->outputs.at("before"), "active");
  EXPECT_NE(pid_of("web"), running);
  EXPECT_FALSE(process_alive(running));
  EXPECT_TRUE(process_alive(pid_of("web")));
}

TEST_F(ServiceRestart, AServiceNotOnTheAllowListIsRefusedAndNotTouched) {
  auto outcome = plugin().run(R"({"service": "db"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error,
            "diagnose failed: service-restart: db is not on this node's allow-list "
            "([plugin.service-restart] allow = web), so it was left alone");
  EXPECT_TRUE(restarts("db").empty());
  EXPECT_EQ(pid_of("db"), 0);
}

TEST_F(ServiceRestart, WithoutAnAllowListNothingMayBeRestarted) {
  auto harness = PluginHarness::load(TEND_PLUGIN_FILE);
  ASSERT_TRUE(harness) << harness.error().message;
  auto outcome = harness->run(R"({"service": "web"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error,
            "diagnose failed: service-restart: no services are allowed on this node: set "
            "[plugin.service-restart] allow = [\"nginx\"] in agent.toml");
}

TEST_F(ServiceRestart, WithoutSystemdTheCommandsMustBeConfigured) {
  if (access("/run/systemd/system", F_OK) == 0) {
    GTEST_SKIP() << "systemd runs here, so systemctl is the default and nothing is missing";
  }
  auto outcome = plugin(R"(allow = ["web"])").run(R"({"service": "web"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error, HasSubstr("systemd is not running on this node"));
  EXPECT_THAT(outcome->error, HasSubstr("restart_command = [\"/usr/sbin/service\""));
  EXPECT_THAT(outcome->error, HasSubstr("status_command = [\"/usr/sbin/service\""));
}

TEST_F(ServiceRestart, ACommandWrittenAsOneStringIsRefusedNotRunWhole) {
  auto outcome = plugin(R"(allow = ["web"]
restart_command = "/usr/sbin/service {service} restart"
status_command = ["/usr/sbin/service", "{service}", "status"])")
                     .run(R"({"service": "web"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_THAT(outcome->error,
              HasSubstr("restart_command must be a list of arguments (it runs without a shell)"));
}

TEST_F(ServiceRestart, ARestartThatKeepsFailingBacksOffExponentiallyAndFailsClearly) {
  std::ofstream(dir_.path() / "web.broken") << "";
  auto outcome = plugin().run(R"({"service": "web", "attempts": 3, "backoff": "1s"})");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error,
            "could not bring web back: 3 attempt(s) failed, the last: " + restart_line() +
                " failed: exited with code 1: web: configuration file "
                "/etc/web.conf test failed");
  EXPECT_EQ(outcome->figures.at("services_restarted"), 0);
  EXPECT_EQ(outcome->figures.at("attempts"), 3);
  EXPECT_EQ(outcome->outputs.at("after"), "inactive");

  // Waits of 1 s, then 2 s: each gap at least its back-off (a busy machine
  // only adds to them), the second the longer.
  std::vector<double> at = restarts("web");
  ASSERT_EQ(at.size(), 3u);
  double first_gap = at[1] - at[0], second_gap = at[2] - at[1];
  EXPECT_GE(first_gap, 1.0);
  EXPECT_GE(second_gap, 2.0);
  EXPECT_GT(second_gap, first_gap);

  std::vector<std::string> log;
  for (const auto& line : outcome->log) log.push_back(line.text);
  EXPECT_THAT(log, Contains(HasSubstr("attempt 1 of 3 failed")));
  EXPECT_THAT(log, Contains(HasSubstr("retrying in 2 s")));
}

TEST_F(ServiceRestart, AHealthUrlThatNeverAnswersWellFailsTheRestart) {
  std::string url = health_.url("/broken");
  auto outcome = plugin().run(R"({"service": "web", "attempts": 2, "backoff": "0s",
                                  "settle": "1s", "health_url": ")" +
                              url + "\"}");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_EQ(outcome->error,
            "could not bring web back: 2 attempt(s) failed, the last: active, "
            "but " +
                url + ": answered 500, expected 200");
  EXPECT_EQ(outcome->figures.at("services_restarted"), 0);
  EXPECT_EQ(restarts("web").size(), 2u);
}

TEST_F(ServiceRestart, VerifyFailsWhenTheServiceGoesDownAgainAfterTheRestart) {
  std::string url = health_.url("/flaky");
  auto outcome = plugin().run(R"({"service": "web", "health_url": ")" + url + "\"}");
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_FALSE(outcome->verified);
  EXPECT_EQ(outcome->error, "verify failed: web is not up after the restart: active, but " + url +
                                ": answered 503, expected 200; the plugin has no rollback");
  EXPECT_EQ(restarts("web").size(), 1u);
}

TEST_F(ServiceRestart, ADryRunReportsTheStateAndTheCommandAndChangesNothing) {
  auto outcome = plugin().run(R"({"service": "web"})", /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->summary, "would restart web (inactive) with `" + restart_line() +
                                  "`: up to 3 attempt(s), back-off 2 s doubling");
  EXPECT_EQ(outcome->outputs.at("before"), "inactive");
  EXPECT_EQ(outcome->outputs.at("would_run"), restart_line());
  EXPECT_TRUE(restarts("web").empty());
  EXPECT_EQ(pid_of("web"), 0);
}

// The cancel lands during the failing restart command or, more often, in the
// 30 s wait after it: either way the task ends at once, with no more attempts.
TEST_F(ServiceRestart, CancellationStopsTheRetriesPromptly) {
  std::ofstream(dir_.path() / "web.broken") << "";
  auto harness = plugin();
  std::thread canceller([&] {
    testing::eventually([&] { return !restarts("web").empty(); });
    harness.cancel() = true;
  });
  auto started = std::chrono::steady_clock::now();
  auto outcome = harness.run(R"({"service": "web", "attempts": 3, "backoff": "30s"})");
  canceller.join();
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_FALSE(outcome->succeeded);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_THAT(outcome->error, StartsWith("web: cancelled after 1 attempt(s), while "));
  EXPECT_EQ(restarts("web").size(), 1u);
  EXPECT_EQ(outcome->figures.at("services_restarted"), 0);
}

TEST_F(ServiceRestart, TheServiceSuffixNamesTheSameUnit) {
  auto outcome = plugin().run(R"({"service": "web.service"})", /*dry_run=*/true);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_TRUE(outcome->succeeded) << outcome->error;
  EXPECT_EQ(outcome->outputs.at("service"), "web");
}

TEST_F(ServiceRestart, BadParamsAreRefusedBeforeAnythingRuns) {
  auto option = plugin().run(R"({"service": "--all"})");
  ASSERT_FALSE(option);  // what the agent reports as REJECTED
  EXPECT_THAT(option.error().message, HasSubstr("service"));

  auto attempts = plugin().run(R"({"service": "web", "attempts": 0})");
  ASSERT_TRUE(attempts) << attempts.error().message;
  EXPECT_THAT(attempts->error, HasSubstr("attempts must be between 1 and 10, got 0"));

  auto remote = plugin().run(R"({"service": "web", "health_url": "http://10.1.2.3/health"})");
  ASSERT_TRUE(remote) << remote.error().message;
  EXPECT_THAT(remote->error, HasSubstr("10.1.2.3 is not this node's loopback"));

  auto scheme = plugin().run(R"({"service": "web", "health_url": "ftp://127.0.0.1/"})");
  ASSERT_TRUE(scheme) << scheme.error().message;
  EXPECT_THAT(scheme->error, HasSubstr("health_url: 'ftp://127.0.0.1/' is not an http://"));

  EXPECT_TRUE(restarts("web").empty());
}

}  // namespace
}  // namespace tend
