#include "core/common/metrics_config.h"


namespace tend {
namespace {

constexpr size_t kMaxTextfileDirBytes = 4096;  // PATH_MAX

}  // namespace

Expected<MetricsConfig> read_metrics_config(const toml::table& doc, const std::string& path) {
  MetricsConfig config;
  auto dir = TomlReader::section(doc, "metrics", path)
                 .text("textfile_dir", config.textfile_dir, kMaxTextfileDirBytes);
  if (!dir) return dir.error();
  config.textfile_dir = *dir;
  return config;
}

const TomlSection& metrics_section() {
  static const TomlSection section{"metrics", {"textfile_dir"}};
  return section;
}

}  // namespace tend
