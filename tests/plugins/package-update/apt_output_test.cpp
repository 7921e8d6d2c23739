// Reading apt-get's output and choosing upgrades, on texts as apt 2.x prints
// them on Debian and Ubuntu.
#include "plugins/package-update/apt_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugins/package-update/apt_get.h"
#include "plugins/package-update/upgrade_selection.h"

namespace tend::package_update {
namespace {

using ::testing::ElementsAre;

constexpr const char* kDebianSimulation = R"(Reading package lists...
Building dependency tree...
Calculating upgrade...
The following packages will be upgraded:
  libssl3 openssl tzdata
3 upgraded, 0 newly installed, 0 to remove and 1 not upgraded.
Inst libssl3 [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian:12.5/stable, Debian-Security:12/stable-security [amd64])
Inst openssl [3.0.11-1~deb12u1] (3.0.11-1~deb12u2 Debian-Security:12/stable-security [amd64]) []
Inst tzdata [2024a-0+deb12u1] (2025b-0+deb12u1 Debian:12-updates/stable-updates [all])
Inst libfoo:i386 [1.0] (1.1 Debian:12.5/stable [i386])
Inst newdep (2.0 Debian:12.5/stable [amd64])
Conf libssl3 (3.0.11-1~deb12u2 Debian:12.5/stable, Debian-Security:12/stable-security [amd64])
)";

TEST(AptOutput, ReadsEveryInstLineOfASimulation) {
  auto upgrades = parse_simulation(kDebianSimulation);
  ASSERT_EQ(upgrades.size(), 5u);
  EXPECT_EQ(upgrades[0].name, "libssl3");
  EXPECT_EQ(upgrades[0].old_version, "3.0.11-1~deb12u1");
  EXPECT_EQ(upgrades[0].new_version, "3.0.11-1~deb12u2");
  EXPECT_THAT(upgrades[0].releases,
              ElementsAre("Debian:12.5/stable", "Debian-Security:12/stable-security"));
  EXPECT_EQ(upgrades[0].arch, "amd64");
  EXPECT_EQ(upgrades[1].describe(), "openssl 3.0.11-1~deb12u1 -> 3.0.11-1~deb12u2");
  EXPECT_EQ(upgrades[3].name, "libfoo:i386");
  EXPECT_TRUE(upgrades[4].is_new());
  EXPECT_EQ(upgrades[4].describe(), "newdep (new) -> 2.0");
}

TEST(AptOutput, ReadsTheCountsLine) {
  auto counts = parse_counts(kDebianSimulation);
  ASSERT_TRUE(counts);
  EXPECT_EQ(counts->upgraded, 3);
  EXPECT_EQ(counts->not_upgraded, 1);
  EXPECT_FALSE(parse_counts("Reading package lists..."));
}

TEST(AptOutput, FindsWhoHoldsTheDpkgLock) {
  auto lock = parse_lock_error(
      "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 "
      "(unattended-upgr)\nE: Unable to acquire the dpkg frontend lock "
      "(/var/lib/dpkg/lock-frontend), is another process using it?\n");
  ASSERT_TRUE(lock);
  EXPECT_EQ(lock->path, "/var/lib/dpkg/lock-frontend");
  EXPECT_EQ(lock->pid, 4242);
  EXPECT_EQ(lock->process, "unattended-upgr");

  plugins::CommandResult result;
  result.started = true;
  result.exit_code = 100;
  result.err =
      "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 "
      "(unattended-upgr)\n";
  EXPECT_EQ(explain_failure(result, "apt-get upgrade"),
            "dpkg lock held by PID 4242 (unattended-upgr): /var/lib/dpkg/lock-frontend; another "
            "package manager is running, try again when it has finished");
}

TEST(AptOutput, AFailureWithoutALockQuotesAptsErrors) {
  plugins::CommandResult result;
  result.started = true;
  result.exit_code = 100;
  result.err = "W: a warning\nE: Unable to locate package nope\n";
  EXPECT_EQ(explain_failure(result, "apt-get upgrade"),
            "apt-get upgrade failed (exit 100): Unable to locate package nope");
}

TEST(UpgradeSelection, SecurityMeansTheNewVersionComesFromASecurityArchive) {
  auto upgrades = parse_simulation(
      "Inst a [1] (2 Debian-Security:12/stable-security [amd64])\n"
      "Inst b [1] (2 Ubuntu:22.04/jammy-security [amd64])\n"
      "Inst c [1] (2 Ubuntu:22.04/jammy-updates [amd64])\n"
      "Inst d [1] (2 Debian:10/buster/updates [amd64])\n"
      "Inst e [1] (2 localhost [all])\n");
  ASSERT_EQ(upgrades.size(), 5u);
  EXPECT_TRUE(from_security(upgrades[0]));
  EXPECT_TRUE(from_security(upgrades[1]));
  EXPECT_FALSE(from_security(upgrades[2]));
  EXPECT_TRUE(from_security(upgrades[3]));
  EXPECT_FALSE(from_security(upgrades[4]));
}

TEST(UpgradeSelection, NamedExcludedAndNewPackagesAreSorted) {
  auto offered = parse_simulation(kDebianSimulation);

  auto all = select_upgrades(offered, {});
  EXPECT_EQ(all.targets.size(), 4u) << "a new package is never a target";
  EXPECT_FALSE(all.everything());

  auto security = select_upgrades(offered, {.security_only = true});
  ASSERT_EQ(security.targets.size(), 2u);
  EXPECT_EQ(security.security, 2);

  auto named = select_upgrades(offered, {.packages = {"tzdata", "libfoo", "absent"}});
  ASSERT_EQ(named.targets.size(), 1u) << "libfoo names the native package, not libfoo:i386";
  EXPECT_EQ(named.targets[0].name, "tzdata");
  EXPECT_THAT(named.named_not_taken, ElementsAre("libfoo", "absent"));

  auto excluded = select_upgrades(offered, {.exclude = {"libssl*", "libfoo"}});
  ASSERT_EQ(excluded.targets.size(), 2u);
  EXPECT_EQ(excluded.targets[0].name, "openssl");
}

TEST(AptGet, OnlyDebianNamesAndVersionsArePassedOn) {
  EXPECT_TRUE(valid_package_name("libstdc++6"));
  EXPECT_TRUE(valid_package_name("libfoo:i386"));
  EXPECT_FALSE(valid_package_name("-o=APT::Get::Simulate"));
  EXPECT_FALSE(valid_package_name("Foo"));
  EXPECT_TRUE(valid_version("1:2.36-9+deb12u4"));
  EXPECT_FALSE(valid_version("--force"));
}

}  // namespace
}  // namespace tend::package_update
