// The agent learns what a plugin is from a child process, so no plugin code
// ever runs inside the agent.
#include "core/agent/plugin_host/plugin_describer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>

#include "core/agent/plugin_host/plugin_catalog.h"
#include "tests/core/agent/plugin_test_files.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::noop_plugin;
using testing::TempDir;
using testing::test_plugin;

TEST(PluginDescriber, AChildDescribesAPluginWithItsParams) {
  auto info = describe_in_child(TEND_PLUGIN_RUNNER)(noop_plugin());
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->name(), "noop");
  EXPECT_TRUE(info->supports_dry_run());
  ASSERT_EQ(info->params_size(), 2);
  EXPECT_EQ(info->params(0).name(), "sleep_ms");
  EXPECT_EQ(info->params(0).type(), "integer");
  EXPECT_EQ(info->params(0).default_value(), "0");
}

TEST(PluginDescriber, APluginThatCrashesWhileLoadingIsRefusedAndHarmsNoOne) {
  TempDir dir;
  dir.add(TEND_CRASH_ON_LOAD_PLUGIN, "crashy.so");
  dir.add(noop_plugin(), "noop.so");
  PluginCatalog catalog(describe_in_child(TEND_PLUGIN_RUNNER));
  catalog.load_directory(dir.path());
  ASSERT_NE(catalog.find("noop"), nullptr);
  ASSERT_EQ(catalog.problems().size(), 1u);
  EXPECT_THAT(catalog.problems()[0], HasSubstr("crashy.so: loading it crashed"));
}

TEST(PluginDescriber, AFileReplacedInPlaceIsReadAfreshOnReload) {
  TempDir dir;
  dir.add(noop_plugin(), "fix.so");
  PluginCatalog catalog(describe_in_child(TEND_PLUGIN_RUNNER));
  catalog.load_directory(dir.path());
  ASSERT_NE(catalog.find("noop"), nullptr);
  // As a package upgrade does: a new file renamed over the old one.
  dir.add(test_plugin("test_scripted.so"), "fix.so.new");
  std::rename((dir.path() / "fix.so.new").c_str(), (dir.path() / "fix.so").c_str());
  EXPECT_THAT(catalog.load_directory(dir.path()), HasSubstr("added scripted 1.0.0; removed noop"));
}

TEST(PluginDescriber, ParamsAreValidatedAgainstTheCopiedDescription) {
  PluginCatalog catalog(describe_in_child(TEND_PLUGIN_RUNNER));
  TempDir dir;
  dir.add(noop_plugin(), "noop.so");
  catalog.load_directory(dir.path());
  auto noop = catalog.find("noop");
  ASSERT_NE(noop, nullptr);
  EXPECT_STREQ(noop->plugin().params[0].name, "sleep_ms");
  EXPECT_EQ(noop->plugin().on_remediate, nullptr) << "the agent holds no plugin code";
}

}  // namespace
}  // namespace tend
