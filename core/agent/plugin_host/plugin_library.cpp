#include "core/agent/plugin_host/plugin_library.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <fstream>

#include "bus/names.h"
#include "core/agent/plugin_host/param_spec_check.h"
#include "core/agent/plugin_host/plugin_enum_value.h"
#include "core/agent/plugin_host/plugin_memory_copy.h"

namespace tend {
namespace {

// Every field up to on_rollback existed in ABI 1; a plugin's descriptor is
// never smaller. Larger ones come from newer headers that appended fields.
constexpr size_t kAbi1PluginSize = offsetof(tend_plugin, on_rollback) + sizeof(tend_hook);
// Anything larger is garbage rather than a future version.
constexpr size_t kMaxPluginSize = 64 * 1024;

// dlopen's own message for a text file is "invalid ELF header"; say it plainly.
Expected<void> check_shared_object(const std::filesystem::path& path,
                                   const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return make_error(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  }
  unsigned char header[18] = {};
  in.read(reinterpret_cast<char*>(header), sizeof header);
  bool elf = in.gcount() == sizeof header && std::memcmp(header,
                                                         "\x7f"
                                                         "ELF",
                                                         4) == 0;
  if (!elf)
    return make_error(fmt::format("{}: not a shared object (not an ELF file)", path.string()));
  // e_type, in the file's own byte order (EI_DATA: 1 little, 2 big endian).
  unsigned type = header[5] == 2 ? (header[16] << 8 | header[17]) : (header[17] << 8 | header[16]);
  constexpr unsigned kElfSharedObject = 3;  // ET_DYN
  if (type != kElfSharedObject) {
    return make_error(
        fmt::format("{}: not a shared object (an ELF file of type {}; build the "
                    "plugin as a MODULE library)",
                    path.string(), type));
  }
  return {};
}

}  // namespace

PluginLibrary::PluginLibrary(std::filesystem::path path, UniqueFd contents,
                             boost::dll::shared_library library)
    : path_(std::move(path)), contents_(std::move(contents)), library_(std::move(library)) {}

Expected<std::shared_ptr<PluginLibrary>> PluginLibrary::load(const std::filesystem::path& path) {
  return load_from(path, path, UniqueFd());
}

Expected<std::shared_ptr<PluginLibrary>> PluginLibrary::load(const std::filesystem::path& path,
                                                             UniqueFd contents) {
  const auto file = descriptor_path(contents.get());
  return load_from(path, file, std::move(contents));
}

Expected<std::shared_ptr<PluginLibrary>> PluginLibrary::load_from(const std::filesystem::path& path,
                                                                  const std::filesystem::path& file,
                                                                  UniqueFd contents) {
  if (auto ok = check_shared_object(path, file); !ok) return ok.error();

  // RTLD_NOW: a missing symbol fails here, not halfway through a remediation.
  boost::dll::fs::error_code ec;
  boost::dll::shared_library library(
      boost::dll::fs::path(file.string()), ec,
      boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec) {
    const char* why = dlerror();  // more precise than the error code Boost.DLL keeps
    return make_error(fmt::format("{}: cannot load: {}", path.string(), why ? why : ec.message()));
  }
  std::shared_ptr<PluginLibrary> loaded(
      new PluginLibrary(path, std::move(contents), std::move(library)));
  if (auto ok = loaded->read_descriptor(); !ok) return ok.error();
  return loaded;
}

Expected<void> PluginLibrary::read_descriptor() {
  auto fail = [&](const std::string& why) { return make_error(path_.string() + ": " + why); };
  if (!library_.has(TEND_PLUGIN_ENTRY_NAME)) {
    return fail("not a tend plugin: no symbol " TEND_PLUGIN_ENTRY_NAME);
  }
  auto entry = library_.get<const tend_plugin*()>(TEND_PLUGIN_ENTRY_NAME);
  const tend_plugin* found = entry();
  if (!found) return fail(TEND_PLUGIN_ENTRY_NAME " returned no plugin description");
  if (found->abi_version != TEND_PLUGIN_ABI_VERSION) {
    return fail(fmt::format("built for plugin ABI {}, this agent speaks {}", found->abi_version,
                            TEND_PLUGIN_ABI_VERSION));
  }
  if (found->struct_size < kAbi1PluginSize || found->struct_size > kMaxPluginSize) {
    return fail(
        fmt::format("its plugin description claims a size of {} bytes, which is not "
                    "plausible for ABI {}: rebuild it against the tend SDK",
                    found->struct_size, TEND_PLUGIN_ABI_VERSION));
  }
  // Copy only what both sides know; fields this agent has and the plugin
  // lacks stay zero.
  std::memcpy(&plugin_, found, std::min<size_t>(found->struct_size, sizeof plugin_));

  if (!plugin_.name) return fail("the plugin has no name");
  if (auto ok = check_name("plugin name", plugin_.name); !ok) return fail(ok.error().message);
  if (!plugin_.version) return fail(fmt::format("plugin {} has no version", plugin_.name));
  if (!plugin_.description) return fail(fmt::format("plugin {} has no description", plugin_.name));
  if (const auto risk = plugin_enum_value(plugin_.risk);
      risk < TEND_RISK_LOW || risk > TEND_RISK_HIGH) {
    return fail(fmt::format("plugin {} has unknown risk {}", plugin_.name, risk));
  }
  if (!plugin_.on_remediate)
    return fail(fmt::format("plugin {} has no remediate hook", plugin_.name));
  if (auto ok = check_param_specs(plugin_); !ok) {
    return fail(fmt::format("plugin {}: {}", plugin_.name, ok.error().message));
  }
  return {};
}

}  // namespace tend
