// package-update with the real apt-get and dpkg, inside a private apt root
// (apt_sandbox.h): tiny packages at version 1.0 installed in the sandbox,
// version 2.0 published in local repositories, and the plugin's real .so
// doing the upgrade. This machine's own package database is never used.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <thread>

#include "tests/plugins/package-update/apt_sandbox.h"
#include "tests/support/plugin_harness.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using testing::AptSandbox;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using testing::PluginHarness;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

class PackageUpdate : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_.emplace();
    auto loaded = PluginHarness::load(TEND_PLUGIN_FILE);
    ASSERT_TRUE(loaded) << loaded.error().message;
    plugin_.emplace(std::move(*loaded));
    configure();
  }

  void configure(const std::string& extra_lines = "",
                 const std::vector<std::string>& extra_options = {}) {
    auto set = plugin_->set_settings(sandbox_->settings(extra_lines, extra_options));
    ASSERT_TRUE(set) << set.error().message;
  }

  PluginOutcome run(const std::string& params, bool dry_run = false) {
    auto outcome = plugin_->run(params, dry_run);
    EXPECT_TRUE(outcome) << outcome.error().message;
    return outcome ? *outcome : PluginOutcome{};
  }

  // `names` installed at 1.0 from a plain stable repository.
  void installed_at_1(const std::vector<std::string>& names) {
    std::vector<std::filesystem::path> debs;
    for (const auto& name : names) debs.push_back(sandbox_->build_package(name, "1.0"));
    sandbox_->repository("stable", "Debian", "stable", debs);
    sandbox_->apt_get({"update"});
    std::vector<std::string> install = {"-y", "install"};
    install.insert(install.end(), names.begin(), names.end());
    sandbox_->apt_get(install);
    for (const auto& name : names) ASSERT_EQ(sandbox_->installed_version(name), "1.0");
  }

  // Version 2.0 of `names` published with this label and suite.
  void published_at_2(const std::string& repo, const std::string& label, const std::string& suite,
                      const std::vector<std::string>& names) {
    std::vector<std::filesystem::path> debs;
    for (const auto& name : names) debs.push_back(sandbox_->build_package(name, "2.0"));
    sandbox_->repository(repo, label, suite, debs);
  }

  std::optional<AptSandbox> sandbox_;
  std::optional<PluginHarness> plugin_;
};

TEST_F(PackageUpdate, ADryRunListsTheUpgradeAndInstallsNothing) {
  installed_at_1({"tend-dummy"});
  published_at_2("security", "Debian-Security", "stable-security", {"tend-dummy"});
  sandbox_->apt_get({"update"});  // a dry run works from the lists as they are

  auto outcome = run("{}", /*dry_run=*/true);

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.summary, "would upgrade 1 package (1 from security): tend-dummy 1.0 -> 2.0");
  EXPECT_EQ(outcome.outputs["would_upgrade"], "tend-dummy 1.0 -> 2.0");
  EXPECT_EQ(outcome.figures["packages_upgradable"], 1);
  EXPECT_EQ(sandbox_->installed_version("tend-dummy"), "1.0");
  EXPECT_EQ(sandbox_->installed_file("tend-dummy"), "1.0\n");
}

TEST_F(PackageUpdate, UpgradesInsideTheSandboxReportsWhatChangedAndVerifies) {
  installed_at_1({"tend-dummy"});
  published_at_2("security", "Debian-Security", "stable-security", {"tend-dummy"});

  auto outcome = run("{}");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(sandbox_->installed_version("tend-dummy"), "2.0");
  EXPECT_EQ(sandbox_->installed_file("tend-dummy"), "2.0\n");
  EXPECT_EQ(outcome.figures["packages_upgraded"], 1);
  EXPECT_GT(outcome.figures["duration_s"], 0);
  EXPECT_EQ(outcome.outputs["upgraded"], "tend-dummy 1.0 -> 2.0");
  EXPECT_EQ(outcome.outputs["security_upgrades"], "1");
  EXPECT_EQ(outcome.outputs["reboot_required"], "false");
  EXPECT_THAT(outcome.summary, StartsWith("upgraded 1 package (1 from security) in "));
  EXPECT_THAT(outcome.summary, EndsWith(" s: tend-dummy 1.0 -> 2.0; no reboot needed"));
}

TEST_F(PackageUpdate, TheMachinesOwnPackageDatabaseIsNeverTouched) {
  installed_at_1({"tend-dummy"});
  published_at_2("security", "Debian-Security", "stable-security", {"tend-dummy"});

  ASSERT_TRUE(run("{}").succeeded);

  plugins::CommandSpec query;
  query.argv = {"dpkg-query", "-W", "tend-dummy"};
  auto host = plugins::run_command(query);
  EXPECT_NE(host.exit_code, 0) << "tend-dummy reached the machine's dpkg: " << host.out;
}

TEST_F(PackageUpdate, UpdatesThePackageListsFirstUnlessToldNotTo) {
  installed_at_1({"tend-dummy"});
  // A new repository: apt knows nothing of it until its lists are fetched
  // (a file: repository's own index is linked, not copied, so a changed one
  // would show without an update).
  published_at_2("updates", "Debian", "stable-updates", {"tend-dummy"});

  auto stale = run(R"({"update": false})");
  ASSERT_TRUE(stale.succeeded) << stale.error;
  EXPECT_EQ(stale.summary, "all packages are up to date");
  EXPECT_EQ(sandbox_->installed_version("tend-dummy"), "1.0");

  auto fresh = run("{}");
  ASSERT_TRUE(fresh.succeeded) << fresh.error;
  EXPECT_EQ(sandbox_->installed_version("tend-dummy"), "2.0");
}

TEST_F(PackageUpdate, SecurityOnlyTakesOnlyUpgradesFromASecurityArchive) {
  installed_at_1({"tend-fixed", "tend-feature"});
  published_at_2("security", "Debian-Security", "stable-security", {"tend-fixed"});
  published_at_2("updates", "Debian", "stable-updates", {"tend-feature"});

  auto outcome = run(R"({"security_only": true})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(sandbox_->installed_version("tend-fixed"), "2.0");
  EXPECT_EQ(sandbox_->installed_version("tend-feature"), "1.0");
  EXPECT_EQ(outcome.outputs["upgraded"], "tend-fixed 1.0 -> 2.0");

  auto again = run(R"({"security_only": true})");
  ASSERT_TRUE(again.succeeded) << again.error;
  EXPECT_EQ(again.summary, "no security upgrades pending (1 other upgrade available)");
  EXPECT_EQ(sandbox_->installed_version("tend-feature"), "1.0");
}

TEST_F(PackageUpdate, OnlyTheNamedPackagesAreUpgraded) {
  installed_at_1({"tend-a", "tend-b"});
  published_at_2("stable", "Debian", "stable", {"tend-a", "tend-b"});

  auto outcome = run(R"({"packages": ["tend-b"]})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(sandbox_->installed_version("tend-a"), "1.0");
  EXPECT_EQ(sandbox_->installed_version("tend-b"), "2.0");
  EXPECT_EQ(outcome.figures["packages_upgraded"], 1);
}

TEST_F(PackageUpdate, PackagesTheOperatorExcludesAreNeverUpgraded) {
  installed_at_1({"tend-kernel", "tend-tool"});
  published_at_2("stable", "Debian", "stable", {"tend-kernel", "tend-tool"});
  configure(R"(exclude = ["tend-kern*"])");

  auto outcome = run("{}");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(sandbox_->installed_version("tend-kernel"), "1.0");
  EXPECT_EQ(sandbox_->installed_version("tend-tool"), "2.0");

  auto named = run(R"({"packages": ["tend-kernel"]})");
  ASSERT_TRUE(named.succeeded) << named.error;
  EXPECT_EQ(named.summary, "none of the named packages has an upgrade to take (tend-kernel)");
  EXPECT_EQ(sandbox_->installed_version("tend-kernel"), "1.0");
}

TEST_F(PackageUpdate, ANamedPackageBringsTheUpgradesItNeedsAndReportsThem) {
  installed_at_1({"tend-lib", "tend-app"});
  auto lib_2 = sandbox_->build_package("tend-lib", "2.0");
  auto app_2 = sandbox_->build_package("tend-app", "2.0", "tend-lib (>= 2.0)");
  sandbox_->repository("updates", "Debian", "stable-updates", {lib_2, app_2});

  auto outcome = run(R"({"packages": ["tend-app"]})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  EXPECT_EQ(sandbox_->installed_version("tend-app"), "2.0");
  EXPECT_EQ(sandbox_->installed_version("tend-lib"), "2.0");
  EXPECT_EQ(outcome.figures["packages_upgraded"], 2);
  EXPECT_EQ(outcome.outputs["upgraded"], "tend-lib 1.0 -> 2.0\ntend-app 1.0 -> 2.0");
}

TEST_F(PackageUpdate, AnUpgradeThatNeedsAnExcludedPackageChangesNothing) {
  installed_at_1({"tend-kernel", "tend-tool"});
  auto kernel_2 = sandbox_->build_package("tend-kernel", "2.0");
  auto tool_2 = sandbox_->build_package("tend-tool", "2.0", "tend-kernel (>= 2.0)");
  sandbox_->repository("updates", "Debian", "stable-updates", {kernel_2, tool_2});
  configure(R"(exclude = ["tend-kernel"])");

  auto outcome = run("{}");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error,
            "diagnose failed: the upgrades chosen need tend-kernel 1.0 -> 2.0 too, which "
            "[plugin.package-update] exclude forbids; nothing was upgraded");
  EXPECT_EQ(sandbox_->installed_version("tend-kernel"), "1.0");
  EXPECT_EQ(sandbox_->installed_version("tend-tool"), "1.0");
}

TEST_F(PackageUpdate, ReportsThatTheNodeNeedsARebootAndWhy) {
  installed_at_1({"tend-dummy"});
  published_at_2("stable", "Debian", "stable", {"tend-dummy"});
  // What a kernel's postinst leaves behind.
  std::ofstream(sandbox_->reboot_file()) << "*** System restart required ***\n";
  std::ofstream(sandbox_->reboot_file().string() + ".pkgs")
      << "linux-image-tend\nlibc6\nlinux-image-tend\n";

  auto outcome = run("{}");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.outputs["reboot_required"], "true");
  EXPECT_EQ(outcome.outputs["reboot_required_packages"], "linux-image-tend\nlibc6");
  EXPECT_EQ(outcome.figures["reboot_required"], 1);
  EXPECT_THAT(outcome.summary, EndsWith("; reboot required by linux-image-tend, libc6"));
}

TEST_F(PackageUpdate, AHeldDpkgLockIsAClearFailureNamingItsHolder) {
  installed_at_1({"tend-dummy"});
  published_at_2("stable", "Debian", "stable", {"tend-dummy"});
  // As dpkg and apt hold it: a POSIX record lock on lock-frontend.
  int fd = open(sandbox_->lock_file().c_str(), O_RDWR | O_CREAT, 0640);
  ASSERT_GE(fd, 0);
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  ASSERT_EQ(fcntl(fd, F_SETLK, &lock), 0);

  auto outcome = run("{}");
  close(fd);

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error,
              StartsWith("dpkg lock held by PID " + std::to_string(getpid()) + " ("));
  EXPECT_THAT(outcome.error,
              HasSubstr(sandbox_->lock_file().string() + "; another package manager is running"));
  EXPECT_EQ(sandbox_->installed_version("tend-dummy"), "1.0");
}

TEST_F(PackageUpdate, VerifyFailsWhenTheUpgradeDidNotTake) {
  installed_at_1({"tend-dummy"});
  published_at_2("stable", "Debian", "stable", {"tend-dummy"});
  // An apt option left behind on a node: apt-get downloads, installs nothing
  // and still exits 0.
  configure("", {"APT::Get::Download-Only=true"});

  auto outcome = run("{}");

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_FALSE(outcome.verified);
  EXPECT_EQ(outcome.error,
            "verify failed: still upgradable after the upgrade: tend-dummy 1.0 -> 2.0; the plugin "
            "has no rollback");
  EXPECT_EQ(sandbox_->installed_version("tend-dummy"), "1.0");
}

TEST_F(PackageUpdate, AutoremoveRemovesWhatNothingNeedsAnyMore) {
  auto lib = sandbox_->build_package("tend-lib", "1.0");
  auto app_1 = sandbox_->build_package("tend-app", "1.0", "tend-lib");
  sandbox_->repository("stable", "Debian", "stable", {lib, app_1});
  sandbox_->apt_get({"update"});
  sandbox_->apt_get({"-y", "install", "tend-app"});  // tend-lib comes in as automatic
  ASSERT_EQ(sandbox_->installed_version("tend-lib"), "1.0");
  auto app_2 = sandbox_->build_package("tend-app", "2.0");  // no longer needs it
  sandbox_->repository("stable", "Debian", "stable", {lib, app_1, app_2});

  auto outcome = run(R"({"autoremove": true})");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(sandbox_->installed_version("tend-app"), "2.0");
  EXPECT_EQ(sandbox_->installed_version("tend-lib"), "");
  EXPECT_EQ(outcome.figures["packages_removed"], 1);
  EXPECT_EQ(outcome.outputs["removed"], "1");
}

TEST_F(PackageUpdate, NothingToDoWhenEverythingIsUpToDate) {
  installed_at_1({"tend-dummy"});

  auto outcome = run("{}");

  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.summary, "all packages are up to date");
  EXPECT_EQ(outcome.outputs["reboot_required"], "false");
}

TEST_F(PackageUpdate, CancellationStopsAnUpdateHangingOnAMirrorPromptly) {
  installed_at_1({"tend-dummy"});
  // A mirror that takes the connection and never answers.
  int mirror = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(mirror, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(mirror, 8), 0);
  socklen_t size = sizeof addr;
  getsockname(mirror, reinterpret_cast<sockaddr*>(&addr), &size);
  sandbox_->source("hanging", "deb [trusted=yes] http://127.0.0.1:" +
                                  std::to_string(ntohs(addr.sin_port)) + "/ ./");

  bool connected = false;
  Clock::time_point cancelled_at{};
  std::thread canceller([&] {
    pollfd waiting{mirror, POLLIN, 0};
    connected = poll(&waiting, 1, 10000) == 1;  // apt's request is queued on it
    cancelled_at = Clock::now();
    plugin_->cancel() = true;
  });
  auto outcome = run("{}");
  const auto stopped = Clock::now();
  canceller.join();
  close(mirror);

  ASSERT_TRUE(connected) << "apt-get never reached the mirror";
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "diagnose failed: apt-get update was stopped: the task was cancelled");
  EXPECT_LT(stopped - cancelled_at, 3s);
  EXPECT_EQ(sandbox_->installed_version("tend-dummy"), "1.0");
}

TEST_F(PackageUpdate, BadSettingsAreRefusedNamingTheSetting) {
  configure("apt_get = \"apt-get\"");
  EXPECT_EQ(run("{}").error,
            "diagnose failed: setting apt_get in [plugin.package-update] must be an absolute "
            "path, got 'apt-get'");

  configure("", {"--yes"});
  EXPECT_EQ(run("{}").error,
            "diagnose failed: each item of extra_options in [plugin.package-update] is Key=Value "
            "(passed to apt-get as -o Key=Value), got '--yes'");

  configure("apt_get = \"/nonexistent/apt-get\"");
  EXPECT_EQ(run("{}").error,
            "diagnose failed: apt-get update: cannot run /nonexistent/apt-get: No such file or "
            "directory");
}

TEST_F(PackageUpdate, APackageNameThatIsNoDebianNameIsRefusedBeforeItRuns) {
  auto outcome = plugin_->run(R"({"packages": ["-o=APT::Get::Simulate"]})");
  ASSERT_FALSE(outcome);
  EXPECT_THAT(outcome.error().message, HasSubstr("packages"));
}

}  // namespace
}  // namespace tend
