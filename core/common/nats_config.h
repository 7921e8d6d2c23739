// The [nats] section every program's TOML shares.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "bus/connection.h"
#include "bus/expected.h"
#include "core/common/toml_reader.h"

namespace tend {

struct NatsConfig {
  std::vector<std::string> servers{"nats://127.0.0.1:4222"};
  std::string subject_prefix = "tend";
};

// Reads [nats] from a parsed TOML document; absent keys keep their
// defaults. `path` names the file in errors.
Expected<NatsConfig> read_nats_config(const toml::table& doc, const std::string& path);

// [nats] and the keys read_nats_config reads, for refuse_unknown_entries.
const TomlSection& nats_section();

// Parses a TOML file, turning a syntax error into "FILE:LINE:COL: problem".
// A file larger than kMaxConfigFileBytes (toml_bounds.h) is refused unread.
Expected<toml::table> parse_toml_file(const std::string& path);

ConnectionOptions connection_options(const NatsConfig& config, std::string client_name,
                                     bool retry_initial_connect);

}  // namespace tend
