// The plugins an agent offers: every usable *.so in its plugin directory,
// loaded once and looked up by name. A bad file never stops the rest: it is
// logged with its reason and skipped. A reload builds a whole new set and
// swaps it in, so readers always see one consistent snapshot, and a task that
// still holds a plugin from the old set keeps it loaded until it finishes.
//
// The agent describes each file in a child process (describe_in_child), so
// it never holds a plugin library itself and a reload reads every file as it
// is now. A process that describes in its own address space cannot: glibc's
// dlopen hands back a library it still holds for the same path, so a file
// replaced under that path reads as the old one until the old one is gone.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/agent/plugin_host/plugin_describer.h"
#include "core/agent/plugin_host/plugin_descriptor.h"
#include "schemas/heartbeat.pb.h"

namespace tend {

class PluginCatalog {
 public:
  // `describe` reads each file (the agent uses describe_in_child, so no
  // plugin code runs in the agent). Besides root's, files owned by
  // `agent_uid` may be loaded (see plugin_file_policy.h).
  explicit PluginCatalog(PluginDescriber describe = describe_in_process(),
                         uid_t agent_uid = geteuid());

  // Loads every *.so in `dir`, in file-name order, and makes them the
  // current set. A plugin name already taken by an earlier file is refused,
  // naming both files. When `dir` cannot be read, the current set stays.
  // Returns one line for logs and reload replies: what is loaded, what
  // changed since the last load, and why files were skipped.
  std::string load_directory(const std::filesystem::path& dir);

  // nullptr when no plugin has that name.
  std::shared_ptr<const PluginDescriptor> find(std::string_view name) const;

  // The plugins' files (resolved paths), in name order: what the runner
  // zygote loads ahead.
  std::vector<std::filesystem::path> paths() const;

  // What the heartbeat advertises, sorted by name.
  std::vector<tend::PluginInfo> infos() const;

  // Why files were skipped in the last load, one message per file.
  std::vector<std::string> problems() const;

 private:
  struct Snapshot {
    std::map<std::string, std::shared_ptr<const PluginDescriptor>, std::less<>> plugins;
    std::vector<std::string> problems;
  };

  std::shared_ptr<const Snapshot> snapshot() const;
  Snapshot load_files(const std::vector<std::filesystem::path>& files) const;

  PluginDescriber describe_;
  uid_t agent_uid_;
  std::mutex load_mu_;  // one load at a time, so each reports against the set before it
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;
};

// "low", "medium", "high".

}  // namespace tend
