// JSON as text for the store, the audit trail, replies and refusals. Values
// often carry what came from outside (labels, a host's output, an operator's
// reason), and nlohmann's dump throws on bytes that are not UTF-8: here they
// become U+FFFD instead, so a bad byte costs one character, never the entry
// or the thread that writes it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tend {

std::string json_text(const nlohmann::json& value);

}  // namespace tend
