// `tendctl breakers [--json]`: the emergency stop and the circuit breakers.
// `tendctl breakers reset KIND [KEY] --reason WHY`: close one and forget what
// it counted (audited). KIND is rate (KEY service@host), pattern (KEY the
// pattern) or fleet.
#pragma once

#include <string>

#include "core/tendctl/command_set.h"
#include "core/tendctl/session.h"

namespace tend::tendctl {

int list_breakers(const GlobalOptions& options, bool json);
int reset_breaker(const GlobalOptions& options, const std::string& kind, const std::string& key,
                  const std::string& reason);

// `tendctl breakers`, with its `reset`, added to `app`.
void add_breakers_command(CLI::App& app, CommandSet& commands);

}  // namespace tend::tendctl
