// Only files that nobody but root or the agent's user could have written are
// loaded, as sudo and sshd insist for their own files.
#include "core/agent/plugin_host/plugin_file_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/core/agent/plugin_test_files.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::noop_plugin;
using testing::TempDir;

TEST(PluginFilePolicy, AcceptsAFileOnlyItsOwnerCanWrite) {
  TempDir dir;
  auto path = dir.add(noop_plugin(), "noop.so", 0755);
  auto checked = check_plugin_file_policy(path, geteuid());
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(*checked, std::filesystem::canonical(path));
}

TEST(PluginFilePolicy, RefusesAGroupWritableFile) {
  TempDir dir;
  auto path = dir.add(noop_plugin(), "noop.so", 0775);
  auto checked = check_plugin_file_policy(path, geteuid());
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().message, "refusing " + path.string() + ": file " + path.string() +
                                         " is writable by its group (mode 0775); fix: chmod go-w " +
                                         path.string());
}

TEST(PluginFilePolicy, RefusesAFileInADirectoryOthersCanWrite) {
  TempDir dir;
  auto path = dir.add(noop_plugin(), "noop.so", 0755);
  std::filesystem::permissions(dir.path(), std::filesystem::perms(0777));
  auto checked = check_plugin_file_policy(path, geteuid());
  ASSERT_FALSE(checked);
  EXPECT_THAT(checked.error().message,
              HasSubstr("directory " + dir.path().string() + " is writable by others (mode 0777)"));
}

TEST(PluginFilePolicy, RefusesAFileBelowADirectoryOthersCanWriteHigherUp) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "shared" / "plugins");
  std::filesystem::permissions(dir.path() / "shared" / "plugins", std::filesystem::perms(0755));
  std::filesystem::permissions(dir.path() / "shared", std::filesystem::perms(0777));
  const auto path = dir.path() / "shared" / "plugins" / "noop.so";
  std::filesystem::copy_file(noop_plugin(), path);
  std::filesystem::permissions(path, std::filesystem::perms(0755));
  auto checked = check_plugin_file_policy(path, geteuid());
  ASSERT_FALSE(checked);
  EXPECT_THAT(checked.error().message, HasSubstr("directory " + (dir.path() / "shared").string() +
                                                 " above it is writable by others (mode 0777)"));
}

TEST(PluginFilePolicy, AcceptsAFileBelowARootOwnedStickyDirectoryLikeTmp) {
  TempDir dir;  // under /tmp: mode 1777, owned by root
  auto path = dir.add(noop_plugin(), "noop.so", 0755);
  struct stat tmp {};
  ASSERT_EQ(stat(dir.path().parent_path().c_str(), &tmp), 0);
  if (tmp.st_uid != 0 || !(tmp.st_mode & S_ISVTX)) GTEST_SKIP() << "no sticky root-owned parent";
  EXPECT_TRUE(check_plugin_file_policy(path, geteuid()));
}

TEST(PluginFilePolicy, RefusesAFileOwnedBySomeoneElse) {
  TempDir dir;
  auto path = dir.add(noop_plugin(), "noop.so", 0755);
  if (geteuid() != 0) {
    // Only root can give a file away; check the other half instead: the
    // agent's own uid is trusted, another non-root uid is not.
    auto checked = check_plugin_file_policy(path, geteuid() + 1);
    ASSERT_FALSE(checked);
    EXPECT_THAT(checked.error().message, HasSubstr("not root or the agent's user"));
    return;
  }
  ASSERT_EQ(chown(path.c_str(), 4242, 4242), 0);
  auto checked = check_plugin_file_policy(path, /*agent_uid=*/0);
  ASSERT_FALSE(checked);
  EXPECT_THAT(checked.error().message, HasSubstr("file " + path.string() +
                                                 " is owned by uid 4242, not root or the agent's "
                                                 "user; fix: chown root " +
                                                 path.string()));
  EXPECT_TRUE(check_plugin_file_policy(path, /*agent_uid=*/4242))
      << "the agent's own files are trusted";
}

TEST(PluginFilePolicy, ChecksWhereASymlinkLeads) {
  TempDir good, bad;
  auto target = bad.add(noop_plugin(), "noop.so", 0755);
  std::filesystem::permissions(bad.path(), std::filesystem::perms(0777));
  auto link = good.path() / "noop.so";
  std::filesystem::create_symlink(target, link);
  auto checked = check_plugin_file_policy(link, geteuid());
  ASSERT_FALSE(checked);
  EXPECT_THAT(checked.error().message, HasSubstr("refusing " + link.string() + " (-> "));
  EXPECT_THAT(checked.error().message, HasSubstr("is writable by others"));
}

TEST(PluginFilePolicy, RefusesWhatIsNotThere) {
  auto checked = check_plugin_file_policy("/nonexistent/x.so", geteuid());
  ASSERT_FALSE(checked);
  EXPECT_THAT(checked.error().message, HasSubstr("refusing /nonexistent/x.so: cannot resolve it"));
}

}  // namespace
}  // namespace tend
