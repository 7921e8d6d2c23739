#include "core/agent/plugin_host/plugin_catalog.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/agent/plugin_host/plugin_file_policy.h"

namespace tend {
namespace {

namespace fs = std::filesystem;

Expected<std::vector<fs::path>> list_plugin_files(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".so") files.push_back(it->path());
  }
  if (ec) {
    return make_error(
        fmt::format("cannot read plugin directory {}: {}", dir.string(), ec.message()));
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string plugin_list(const auto& plugins) {
  if (plugins.empty()) return "no plugins loaded";
  std::vector<std::string> names;
  for (const auto& [name, library] : plugins) {
    names.push_back(fmt::format("{} {}", name, library->plugin().version));
  }
  return fmt::format("{} plugin(s): {}", names.size(), fmt::join(names, ", "));
}

// "added x 1.0; removed y; updated z 1.0 -> 1.1", or "no change".
std::string changes(const auto& before, const auto& after) {
  std::vector<std::string> parts;
  for (const auto& [name, library] : after) {
    auto old = before.find(name);
    if (old == before.end()) {
      parts.push_back(fmt::format("added {} {}", name, library->plugin().version));
    } else if (std::string_view(old->second->plugin().version) != library->plugin().version) {
      parts.push_back(fmt::format("updated {} {} -> {}", name, old->second->plugin().version,
                                  library->plugin().version));
    }
  }
  for (const auto& [name, library] : before) {
    if (!after.count(name)) parts.push_back(fmt::format("removed {}", name));
  }
  if (parts.empty()) return "no change";
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

PluginCatalog::PluginCatalog(PluginDescriber describe, uid_t agent_uid)
    : describe_(std::move(describe)),
      agent_uid_(agent_uid),
      current_(std::make_shared<Snapshot>()) {}

std::string PluginCatalog::load_directory(const fs::path& dir) {
  std::lock_guard load_lock(load_mu_);
  auto before = snapshot();
  auto files = list_plugin_files(dir);
  if (!files) {
    std::string line =
        fmt::format("{}; keeping {}", files.error().message, plugin_list(before->plugins));
    spdlog::warn("{}", line);
    return line;
  }
  auto after = std::make_shared<const Snapshot>(load_files(*files));
  {
    std::lock_guard lock(mu_);
    current_ = after;
  }
  std::string line = plugin_list(after->plugins);
  if (!before->plugins.empty()) line = changes(before->plugins, after->plugins) + "; " + line;
  if (!after->problems.empty()) {
    line += fmt::format("; skipped {} file(s): {}", after->problems.size(),
                        fmt::join(after->problems, "; "));
  }
  return line;
}

PluginCatalog::Snapshot PluginCatalog::load_files(const std::vector<fs::path>& files) const {
  Snapshot loaded;
  auto skip = [&](std::string why) {
    spdlog::warn("skipping plugin: {}", why);
    loaded.problems.push_back(std::move(why));
  };
  for (const auto& file : files) {
    auto real = check_plugin_file_policy(file, agent_uid_);
    if (!real) {
      skip(real.error().message);
      continue;
    }
    auto info = describe_(*real);
    if (!info) {
      skip(info.error().message);
      continue;
    }
    auto descriptor = PluginDescriptor::from_info(std::move(*info));
    if (!descriptor) {
      skip(descriptor.error().message);
      continue;
    }
    std::string name((*descriptor)->name());
    auto [it, inserted] = loaded.plugins.emplace(name, *descriptor);
    if (!inserted) {
      skip(fmt::format("{}: plugin name '{}' is already taken by {}; rename one of them",
                       (*descriptor)->path().string(), name, it->second->path().string()));
    }
  }
  return loaded;
}

std::shared_ptr<const PluginCatalog::Snapshot> PluginCatalog::snapshot() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::shared_ptr<const PluginDescriptor> PluginCatalog::find(std::string_view name) const {
  auto current = snapshot();
  auto it = current->plugins.find(name);
  return it == current->plugins.end() ? nullptr : it->second;
}

std::vector<fs::path> PluginCatalog::paths() const {
  auto current = snapshot();
  std::vector<fs::path> paths;
  for (const auto& [name, descriptor] : current->plugins) paths.push_back(descriptor->path());
  return paths;
}

std::vector<tend::PluginInfo> PluginCatalog::infos() const {
  auto current = snapshot();
  std::vector<tend::PluginInfo> infos;
  for (const auto& [name, descriptor] : current->plugins) infos.push_back(descriptor->info());
  return infos;
}

std::vector<std::string> PluginCatalog::problems() const { return snapshot()->problems; }

}  // namespace tend
