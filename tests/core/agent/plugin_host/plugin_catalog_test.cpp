// The catalog offers every usable plugin in a directory; each bad file is
// skipped with its reason and never stops the rest.
#include "core/agent/plugin_host/plugin_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/core/agent/plugin_test_files.h"

namespace tend {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::noop_plugin;
using testing::TempDir;
using testing::test_plugin;

std::vector<std::string> names(const PluginCatalog& catalog) {
  std::vector<std::string> out;
  for (const auto& info : catalog.infos()) out.push_back(info.name());
  return out;
}

TEST(PluginCatalog, OffersEveryPluginInTheDirectory) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  dir.add(test_plugin("test_scripted.so"), "scripted.so");
  dir.add(noop_plugin(), "README.txt");  // only *.so files are plugins
  PluginCatalog catalog;
  EXPECT_EQ(catalog.load_directory(dir.path()),
            "2 plugin(s): noop " TEND_VERSION ", scripted 1.0.0");
  EXPECT_THAT(names(catalog), ElementsAre("noop", "scripted"));
  EXPECT_TRUE(catalog.problems().empty());

  auto noop = catalog.find("noop");
  ASSERT_NE(noop, nullptr);
  EXPECT_EQ(noop->path(), dir.path() / "noop.so");
  EXPECT_EQ(catalog.find("nope"), nullptr);
}

TEST(PluginCatalog, DescribesPluginsForTheHeartbeat) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  dir.add(test_plugin("test_scripted.so"), "scripted.so");
  PluginCatalog catalog;
  catalog.load_directory(dir.path());
  auto infos = catalog.infos();
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[0].name(), "noop");
  EXPECT_EQ(infos[0].version(), TEND_VERSION);
  EXPECT_EQ(infos[0].description(), "does nothing: sleeps sleep_ms, fails if told to");
  EXPECT_EQ(infos[0].risk(), "low");
  EXPECT_EQ(infos[1].risk(), "high");
}

TEST(PluginCatalog, SkipsBadFilesAndKeepsTheRest) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  dir.add(test_plugin("test_not_a_library.so"), "broken.so", 0644);
  dir.add(test_plugin("test_no_entry.so"), "helper.so");
  dir.add(test_plugin("test_abi_two.so"), "future.so");
  PluginCatalog catalog;
  std::string line = catalog.load_directory(dir.path());
  EXPECT_THAT(names(catalog), ElementsAre("noop"));
  auto problems = catalog.problems();
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_THAT(problems[0], HasSubstr("broken.so: not a shared object"));
  EXPECT_THAT(problems[1], HasSubstr("future.so: built for plugin ABI 2"));
  EXPECT_THAT(problems[2], HasSubstr("helper.so: not a tend plugin"));
  EXPECT_THAT(line, HasSubstr("1 plugin(s): noop " TEND_VERSION "; skipped 3 file(s): "));
}

TEST(PluginCatalog, RefusesASecondPluginWithTheSameNameNamingBothFiles) {
  TempDir dir;
  auto first = dir.add(noop_plugin(), "a-noop.so");
  auto second = dir.add(noop_plugin(), "b-noop.so");
  PluginCatalog catalog;
  catalog.load_directory(dir.path());
  ASSERT_EQ(catalog.find("noop")->path(), first) << "the first file in name order wins";
  ASSERT_EQ(catalog.problems().size(), 1u);
  EXPECT_EQ(catalog.problems()[0], second.string() + ": plugin name 'noop' is already taken by " +
                                       first.string() + "; rename one of them");
}

TEST(PluginCatalog, RefusesAGroupWritableFile) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so", 0775);
  PluginCatalog catalog;
  catalog.load_directory(dir.path());
  EXPECT_TRUE(names(catalog).empty());
  ASSERT_EQ(catalog.problems().size(), 1u);
  EXPECT_THAT(catalog.problems()[0], HasSubstr("is writable by its group"));
}

TEST(PluginCatalog, ReloadSaysWhatChanged) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  PluginCatalog catalog;
  catalog.load_directory(dir.path());
  EXPECT_EQ(catalog.load_directory(dir.path()), "no change; 1 plugin(s): noop " TEND_VERSION);

  dir.add(test_plugin("test_scripted.so"), "scripted.so");
  std::filesystem::remove(dir.path() / "noop.so");
  EXPECT_EQ(catalog.load_directory(dir.path()),
            "added scripted 1.0.0; removed noop; 1 plugin(s): scripted 1.0.0");
  EXPECT_EQ(catalog.find("noop"), nullptr);
}

TEST(PluginCatalog, AnUnreadableDirectoryKeepsWhatWasLoaded) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  PluginCatalog catalog;
  catalog.load_directory(dir.path());
  EXPECT_EQ(catalog.load_directory("/nonexistent/plugins"),
            "cannot read plugin directory /nonexistent/plugins: No such file or directory; "
            "keeping 1 plugin(s): noop " TEND_VERSION);
  EXPECT_NE(catalog.find("noop"), nullptr);
}

TEST(PluginCatalog, APluginFoundBeforeAReloadStaysUsable) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  PluginCatalog catalog;
  catalog.load_directory(dir.path());
  auto held = catalog.find("noop");
  std::filesystem::remove(dir.path() / "noop.so");
  catalog.load_directory(dir.path());
  EXPECT_EQ(catalog.find("noop"), nullptr);
  EXPECT_STREQ(held->plugin().name, "noop");
}

TEST(PluginCatalog, ReadersAndReloadsMayRunAtOnce) {
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  PluginCatalog catalog;
  catalog.load_directory(dir.path());
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop) {
      auto noop = catalog.find("noop");
      ASSERT_NE(noop, nullptr);
      ASSERT_EQ(catalog.infos().size(), 1u);
    }
  });
  for (int i = 0; i < 20; ++i) catalog.load_directory(dir.path());
  stop = true;
  reader.join();
}

}  // namespace
}  // namespace tend
