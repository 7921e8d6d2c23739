// What a diagnostics task asked for, checked against the operator's
// settings: which sections, how many processes and log lines, and which log
// file — only one of [plugin.diagnostics] log_files, never any path a task
// names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <tend/expected.hpp>
#include <vector>

#include "plugins/diagnostics/log_errors.h"

namespace tend::plugins::diagnostics {

inline constexpr std::string_view kAllSections = "disk,inodes,memory,load,processes,units,log";
inline constexpr int64_t kMaxTop = 50;
inline constexpr int64_t kMaxLogLines = 200;

// The task's params, in plain values.
struct DiagnosticsParams {
  std::vector<std::string> sections;
  int64_t top = 5;
  std::string log_file;  // empty: the first of log_files
  std::string log_pattern;
  int64_t log_lines = 20;
};

struct DiagnosticsRequest {
  std::set<std::string, std::less<>> sections;
  size_t top = 5;
  std::string log_file;  // empty: the log is not scanned (log_note says why)
  std::string log_note;
  std::string log_pattern_text;
  LogPattern log_pattern;
  size_t log_lines = 20;

  bool wants(std::string_view section) const { return sections.count(section) > 0; }
};

// `allowed_log_files` is the log_files setting. Without it a task that names
// a log_file is refused (the message names the setting), and the log
// section is skipped with a note when no file was named.
Expected<DiagnosticsRequest> make_request(const DiagnosticsParams& params,
                                          const std::vector<std::string>& allowed_log_files);

}  // namespace tend::plugins::diagnostics
