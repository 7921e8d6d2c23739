#include "core/common/logging.h"

#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tend {

Expected<void> set_log_level(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  // from_str answers "off" for anything it does not know.
  if (parsed == spdlog::level::off && level != "off") {
    return make_error(
        fmt::format("unknown log level '{}': use trace, debug, info, warn, error or off", level));
  }
  spdlog::set_level(parsed);
  return {};
}

void init_logging(const std::string& program) {
  auto logger = spdlog::stderr_color_mt(program);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %n: %v");
  spdlog::set_default_logger(logger);
}

}  // namespace tend
