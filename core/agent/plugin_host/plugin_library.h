// One loaded plugin .so and what it says it is. The object owns the library
// handle (Boost.DLL, one owner per dlopen): whatever came out of the library,
// the descriptor's strings and hook pointers included, is valid only while
// this object lives, so hold the shared_ptr for as long as you use them.
#pragma once

#include <tend/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <string_view>
#include <tend/unique_fd.hpp>

#include "bus/expected.h"

namespace tend {

class PluginLibrary {
 public:
  // Loads `path` and checks that it is a tend plugin this agent can run:
  // a shared object exporting TEND_PLUGIN_ENTRY, of our ABI version, with a
  // valid name, a remediate hook and a well-formed parameter table. Runs the
  // library's initialisers and its entry function, so only load files that
  // passed check_plugin_file_policy. Messages start with the path.
  static Expected<std::shared_ptr<PluginLibrary>> load(const std::filesystem::path& path);
  // The same, but reads the code from `contents`, an open copy of `path`
  // (see plugin_memory_copy.h), while messages and path() still name `path`.
  // The library keeps the descriptor open for as long as it is loaded:
  // dlopen() hands back the library it already has for a name it knows, so
  // no later copy may reuse this one's /proc/self/fd name meanwhile.
  static Expected<std::shared_ptr<PluginLibrary>> load(const std::filesystem::path& path,
                                                       UniqueFd contents);

  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  // The plugin's descriptor, copied out of the library; fields an older
  // plugin did not have are zero.
  const tend_plugin& plugin() const { return plugin_; }
  std::string_view name() const { return plugin_.name; }
  const std::filesystem::path& path() const { return path_; }

 private:
  PluginLibrary(std::filesystem::path path, UniqueFd contents, boost::dll::shared_library library);
  static Expected<std::shared_ptr<PluginLibrary>> load_from(const std::filesystem::path& path,
                                                            const std::filesystem::path& file,
                                                            UniqueFd contents);
  Expected<void> read_descriptor();

  std::filesystem::path path_;
  UniqueFd contents_;  // before library_, so it is closed only after the library is unloaded
  boost::dll::shared_library library_;
  tend_plugin plugin_{};
};

}  // namespace tend
