// The [metrics] section the agent's and the coordinator's TOML share.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "bus/expected.h"
#include "core/common/toml_reader.h"

namespace tend {

// Where Debian's prometheus-node-exporter reads textfiles from.
inline constexpr const char* kDefaultTextfileDir = "/var/lib/prometheus/node-exporter";

struct MetricsConfig {
  // "" turns metrics off; a directory that does not exist turns them off
  // with a warning at start.
  std::string textfile_dir = kDefaultTextfileDir;
};

// Reads [metrics] from a parsed TOML document; absent keys keep their
// defaults. `path` names the file in errors.
Expected<MetricsConfig> read_metrics_config(const toml::table& doc, const std::string& path);

// [metrics] and the keys read_metrics_config reads, for refuse_unknown_entries.
const TomlSection& metrics_section();

}  // namespace tend
