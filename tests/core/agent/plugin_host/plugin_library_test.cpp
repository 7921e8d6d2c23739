// Loading a .so: a tend plugin of this ABI loads and describes itself;
// anything else is refused with a message that names the file and the reason.
#include "core/agent/plugin_host/plugin_library.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/core/agent/plugin_test_files.h"

namespace tend {
namespace {

using ::testing::HasSubstr;
using testing::noop_plugin;
using testing::test_plugin;

std::string refusal(const std::filesystem::path& path) {
  auto library = PluginLibrary::load(path);
  EXPECT_FALSE(library) << path;
  return library ? "" : library.error().message;
}

TEST(PluginLibrary, NoopLoadsAndDescribesItself) {
  auto library = PluginLibrary::load(noop_plugin());
  ASSERT_TRUE(library) << library.error().message;
  const tend_plugin& noop = (*library)->plugin();
  EXPECT_EQ((*library)->name(), "noop");
  EXPECT_STREQ(noop.version, TEND_VERSION);
  EXPECT_STRNE(noop.description, "");
  EXPECT_EQ(noop.risk, TEND_RISK_LOW);
  EXPECT_TRUE(noop.supports & TEND_SUPPORTS_DRY_RUN);
  EXPECT_TRUE(noop.supports & TEND_SUPPORTS_VERIFY) << "set because noop overrides verify";
  EXPECT_FALSE(noop.supports & TEND_SUPPORTS_ROLLBACK);
  EXPECT_NE(noop.on_diagnose, nullptr);
  EXPECT_NE(noop.on_remediate, nullptr);
  EXPECT_NE(noop.on_verify, nullptr);
  EXPECT_EQ(noop.on_rollback, nullptr);
  ASSERT_EQ(noop.param_count, 2u);
  EXPECT_STREQ(noop.params[0].name, "sleep_ms");
  EXPECT_STREQ(noop.params[1].name, "fail");
  EXPECT_EQ((*library)->path(), noop_plugin());
}

TEST(PluginLibrary, APluginWrittenInPlainCLoads) {
  auto library = PluginLibrary::load(test_plugin("test_echo_params.so"));
  ASSERT_TRUE(library) << library.error().message;
  EXPECT_EQ((*library)->name(), "echo-params");
}

TEST(PluginLibrary, RefusesATextFileAsNotASharedObject) {
  auto path = test_plugin("test_not_a_library.so");
  EXPECT_EQ(refusal(path), path.string() + ": not a shared object (not an ELF file)");
}

TEST(PluginLibrary, RefusesAnExecutable) {
  // Position-independent executables pass the ELF check; the loader's own
  // message then says what they are.
  EXPECT_THAT(refusal("/bin/sh"), HasSubstr("/bin/sh: cannot load: "));
}

TEST(PluginLibrary, RefusesAMissingFile) {
  EXPECT_THAT(refusal("/nonexistent/x.so"), HasSubstr("/nonexistent/x.so: cannot open"));
}

TEST(PluginLibrary, RefusesASharedObjectWithoutTheEntrySymbol) {
  auto path = test_plugin("test_no_entry.so");
  EXPECT_EQ(refusal(path), path.string() + ": not a tend plugin: no symbol tend_plugin_on_load_v1");
}

TEST(PluginLibrary, RefusesAPluginBuiltForAnotherAbi) {
  auto path = test_plugin("test_abi_two.so");
  EXPECT_EQ(refusal(path), path.string() + ": built for plugin ABI 2, this agent speaks 1");
}

TEST(PluginLibrary, RefusesANameThatCannotGoIntoASubject) {
  EXPECT_THAT(refusal(test_plugin("test_bad_name.so")),
              HasSubstr("plugin name 'bad name!' has ' ': only letters, digits"));
}

TEST(PluginLibrary, RefusesAPluginWithoutRemediate) {
  EXPECT_THAT(refusal(test_plugin("test_no_remediate.so")),
              HasSubstr("plugin bad-descriptor has no remediate hook"));
}

TEST(PluginLibrary, RefusesAPluginWhoseDefaultDoesNotReadAsItsType) {
  EXPECT_THAT(refusal(test_plugin("test_bad_default.so")),
              HasSubstr("plugin bad-descriptor: param 'max_age': default \"a week\" is unusable"));
}

TEST(PluginLibrary, TheLibraryStaysLoadedWhileAnyoneHoldsIt) {
  const char* name = nullptr;
  {
    auto library = PluginLibrary::load(noop_plugin());
    ASSERT_TRUE(library);
    std::shared_ptr<const PluginLibrary> held = *library;
    library = make_error("dropped");
    name = held->plugin().name;  // still mapped: `held` owns the handle
    EXPECT_STREQ(name, "noop");
  }
}

}  // namespace
}  // namespace tend
