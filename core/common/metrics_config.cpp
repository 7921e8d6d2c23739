#include "core/common/metrics_config.h"

#include <fmt/format.h>

#include "core/common/input_bounds.h"

namespace tend {
namespace {

constexpr size_t kMaxTextfileDirBytes = 4096;  // PATH_MAX

}  // namespace

Expected<MetricsConfig> read_metrics_config(const toml::table& doc) {
  MetricsConfig config;
  const auto* dir = doc.at_path("metrics.textfile_dir").node();
  if (dir == nullptr) return config;
  auto value = dir->value_exact<std::string>();
  if (!value) {
    return make_error(
        fmt::format("[metrics] textfile_dir must be a directory path or \"\" (line {})",
                    dir->source().begin.line));
  }
  if (auto ok = check_bytes("[metrics] textfile_dir", value->size(), kMaxTextfileDirBytes); !ok) {
    return ok.error();
  }
  config.textfile_dir = *value;
  return config;
}

const TomlSection& metrics_section() {
  static const TomlSection section{"metrics", {"textfile_dir"}};
  return section;
}

}  // namespace tend
