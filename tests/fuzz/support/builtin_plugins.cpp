#include "tests/fuzz/support/builtin_plugins.h"

#include "tests/fuzz/support/fuzz_check.h"

namespace tend::fuzz {
namespace {

PluginCatalog* load() {
  // Described by tend-plugin-runner --describe, as the agent does: no plugin
  // code in this process (libFuzzer cannot follow a library unloaded again).
  auto* catalog = new PluginCatalog(describe_in_child(TEND_FUZZ_PLUGIN_RUNNER));
  std::string loaded = catalog->load_directory(TEND_FUZZ_PLUGIN_DIR);
  for (const char* name : {"exec", "disk-cleanup", "noop"}) {
    if (!catalog->find(name)) {
      broken("the built-in plugins load",
             "no " + std::string(name) + " in " + TEND_FUZZ_PLUGIN_DIR ": " + loaded);
    }
  }
  return catalog;
}

}  // namespace

const PluginCatalog& builtin_plugins() {
  static const PluginCatalog* catalog = load();  // kept for the whole run
  return *catalog;
}

}  // namespace tend::fuzz
