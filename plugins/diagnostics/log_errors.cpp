#include "plugins/diagnostics/log_errors.h"

#include <fcntl.h>
#include <re2/re2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>

namespace tend::plugins::diagnostics {
namespace {

constexpr std::string_view kCaseless = "(?i)";
// How often (in lines) a long search looks at `cancelled`.
constexpr size_t kCancelCheckLines = 4096;

// Reads up to `size` bytes at `offset`; an error text on failure.
std::string read_at(int fd, off_t offset, size_t size, std::string& out) {
  out.resize(size);
  size_t have = 0;
  while (have < size) {
    ssize_t got = pread(fd, out.data() + have, size - have, offset + static_cast<off_t>(have));
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    have += static_cast<size_t>(got);
  }
  out.resize(have);
  return "";
}

}  // namespace

Expected<LogPattern> compile_log_pattern(const std::string& pattern) {
  if (pattern.empty() || pattern == kCaseless) return make_error("log_pattern must not be empty");
  RE2::Options options;
  options.set_log_errors(false);
  auto compiled = std::make_shared<const RE2>(pattern, options);
  if (!compiled->ok()) {
    return make_error("log_pattern \"" + pattern +
                      "\" is not a valid regular expression: " + compiled->error());
  }
  return LogPattern(std::move(compiled));
}

bool line_matches(const LogPattern& pattern, std::string_view line) {
  return RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *pattern);
}

LogMatches find_matching_lines(std::string_view text, const LogPattern& pattern, size_t keep,
                               bool starts_mid_line, const std::function<bool()>& cancelled) {
  LogMatches result;
  std::deque<std::string> last;
  if (starts_mid_line) {
    size_t newline = text.find('\n');
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  }
  size_t seen = 0;
  while (!text.empty()) {
    if (++seen % kCancelCheckLines == 0 && cancelled && cancelled()) break;
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = line.substr(0, kLogLineBytes);
    if (line.empty() || !line_matches(pattern, line)) continue;
    ++result.matched;
    last.emplace_back(line);
    if (last.size() > keep) last.pop_front();
  }
  result.lines.assign(last.begin(), last.end());
  return result;
}

LogScan scan_log(const std::string& path, const LogPattern& pattern, size_t keep,
                 const std::function<bool()>& cancelled) {
  LogScan scan;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    scan.error = std::strerror(errno);
    return scan;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    scan.error = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    scan.error = "not a regular file";
  }
  if (!scan.error.empty()) {
    close(fd);
    return scan;
  }
  // One byte before the tail too: when it is a newline, the tail's first
  // line is whole and find_matching_lines keeps it.
  size_t size = static_cast<size_t>(st.st_size);
  size_t start = size > kLogTailBytes ? size - kLogTailBytes - 1 : 0;
  std::string text;
  scan.error = read_at(fd, static_cast<off_t>(start), size - start, text);
  close(fd);
  if (!scan.error.empty()) return scan;
  scan.whole_file = start == 0;
  scan.matches = find_matching_lines(text, pattern, keep, !scan.whole_file, cancelled);
  return scan;
}

}  // namespace tend::plugins::diagnostics
