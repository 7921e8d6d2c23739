#include "plugins/diagnostics/diagnostics_request.h"

#include <algorithm>

#include "plugins/diagnostics/log_errors.h"

namespace tend::plugins::diagnostics {
namespace {

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "\"" : ", \"") + item + "\"";
  return "[" + out + "]";
}

bool known_section(std::string_view name) {
  std::string_view all = kAllSections;
  while (!all.empty()) {
    size_t comma = all.find(',');
    if (all.substr(0, comma) == name) return true;
    all.remove_prefix(comma == std::string_view::npos ? all.size() : comma + 1);
  }
  return false;
}

}  // namespace

Expected<DiagnosticsRequest> make_request(const DiagnosticsParams& params,
                                          const std::vector<std::string>& allowed_log_files) {
  DiagnosticsRequest request;
  for (const auto& section : params.sections) {
    if (!known_section(section)) {
      return make_error("sections: unknown section \"" + section + "\": use any of " +
                        std::string(kAllSections));
    }
    request.sections.insert(section);
  }
  if (request.sections.empty()) {
    return make_error("sections must name at least one of " + std::string(kAllSections));
  }
  if (params.top < 1 || params.top > kMaxTop) {
    return make_error("top must be from 1 to " + std::to_string(kMaxTop) + ", got " +
                      std::to_string(params.top));
  }
  if (params.log_lines < 1 || params.log_lines > kMaxLogLines) {
    return make_error("log_lines must be from 1 to " + std::to_string(kMaxLogLines) + ", got " +
                      std::to_string(params.log_lines));
  }
  request.top = static_cast<size_t>(params.top);
  request.log_lines = static_cast<size_t>(params.log_lines);

  request.log_pattern_text =
      params.log_pattern.empty() ? std::string(kDefaultLogPattern) : params.log_pattern;
  auto pattern = compile_log_pattern(request.log_pattern_text);
  if (!pattern) return pattern.error();
  request.log_pattern = std::move(*pattern);

  if (!params.log_file.empty()) {
    if (!request.wants("log")) {
      return make_error("log_file given, but sections leaves out log: add log to sections");
    }
    if (allowed_log_files.empty()) {
      return make_error(
          "diagnostics: no log files may be read on this node: set "
          "[plugin.diagnostics] log_files = [\"/var/log/syslog\"] in agent.toml");
    }
    if (std::find(allowed_log_files.begin(), allowed_log_files.end(), params.log_file) ==
        allowed_log_files.end()) {
      return make_error("log_file " + params.log_file +
                        " is not allowed on this node: [plugin.diagnostics] log_files = " +
                        quoted_list(allowed_log_files));
    }
    request.log_file = params.log_file;
  } else if (request.wants("log")) {
    if (allowed_log_files.empty()) {
      request.log_note =
          "no log files may be read on this node: set [plugin.diagnostics] "
          "log_files = [\"/var/log/syslog\"] in agent.toml";
    } else {
      request.log_file = allowed_log_files.front();
    }
  }
  return request;
}

}  // namespace tend::plugins::diagnostics
