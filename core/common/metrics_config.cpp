#include "core/common/metrics_config.h"

#include <fmt/format.h>

namespace tend {

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
  config.textfile_dir = *value;
  return config;
}

}  // namespace tend
