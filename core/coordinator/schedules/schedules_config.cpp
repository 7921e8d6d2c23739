#include "core/coordinator/schedules/schedules_config.h"

#include <fmt/format.h>

namespace tend {

Expected<SchedulesConfig> read_schedules_config(const toml::table& doc, const std::string& path) {
  SchedulesConfig config;
  const auto* section = doc.get_as<toml::table>("schedules");
  if (section == nullptr) return config;
  auto bad = [&](std::string_view key, std::string_view what) {
    const auto* node = section->get(key);
    return make_error(fmt::format("{}: [schedules] {} must be {} (line {})", path, key, what,
                                  node ? node->source().begin.line : section->source().begin.line));
  };
  if (const auto* n = section->get("enabled")) {
    auto v = n->value_exact<bool>();
    if (!v) return bad("enabled", "true or false");
    config.enabled = *v;
  }
  if (const auto* n = section->get("file")) {
    auto v = n->value_exact<std::string>();
    if (!v) return bad("file", "a path");
    config.file = *v;
  }
  if (const auto* n = section->get("poll_ms")) {
    auto v = n->value_exact<int64_t>();
    if (!v || *v < 50 || *v > 60000) return bad("poll_ms", "a whole number from 50 to 60000");
    config.poll = std::chrono::milliseconds(*v);
  }
  if (const auto* n = section->get("max_missed")) {
    auto v = n->value_exact<int64_t>();
    if (!v || *v < 1 || *v > 1000) return bad("max_missed", "a whole number from 1 to 1000");
    config.max_missed = static_cast<unsigned>(*v);
  }
  if (const auto* n = section->get("settle_ms")) {
    auto v = n->value_exact<int64_t>();
    if (!v || *v < 0 || *v > 600000) return bad("settle_ms", "a whole number from 0 to 600000");
    config.settle = std::chrono::milliseconds(*v);
  }
  return config;
}

}  // namespace tend
