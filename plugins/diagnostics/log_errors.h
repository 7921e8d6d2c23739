// The last lines of a log file that match an error pattern.
//
// Only the end of the file is read (kLogTailBytes): a log can be many
// gigabytes, and what matters at 2 AM is what it said lately. Each line is
// cut to kLogLineBytes before matching and reporting.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <tend/expected.hpp>
#include <vector>

namespace re2 {
class RE2;
}

namespace tend::plugins::diagnostics {

inline constexpr size_t kLogTailBytes = 4 * 1024 * 1024;
inline constexpr size_t kLogLineBytes = 1024;
inline constexpr std::string_view kDefaultLogPattern = "(?i)error|fail|fatal|panic";

// A regex in RE2's syntax (linear time whatever the log holds, so no line
// can stall the search); "(?i)" at the start makes it case-insensitive.
using LogPattern = std::shared_ptr<const re2::RE2>;
Expected<LogPattern> compile_log_pattern(const std::string& pattern);

// Whether the pattern is found anywhere in `line`.
bool line_matches(const LogPattern& pattern, std::string_view line);

struct LogMatches {
  std::vector<std::string> lines;  // the last `keep` matching lines, oldest first
  size_t matched = 0;              // every matching line seen
};

// Searches `text` line by line. When `starts_mid_line` (the text is a tail
// cut at an arbitrary byte), the first partial line is skipped. Stops early,
// with what it has, once `cancelled` says so.
LogMatches find_matching_lines(std::string_view text, const LogPattern& pattern, size_t keep,
                               bool starts_mid_line, const std::function<bool()>& cancelled = {});

struct LogScan {
  LogMatches matches;
  bool whole_file = true;  // false: only the last kLogTailBytes were read
  std::string error;       // could not read it
};

LogScan scan_log(const std::string& path, const LogPattern& pattern, size_t keep,
                 const std::function<bool()>& cancelled = {});

}  // namespace tend::plugins::diagnostics
