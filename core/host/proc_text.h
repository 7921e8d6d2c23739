// Small helpers for the text the kernel writes under /proc: lines, fields
// split on blanks, and whole-file reads (a /proc file says its size is 0,
// so it is read until EOF rather than by size).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tend::host {

std::vector<std::string_view> split_lines(std::string_view text);
std::vector<std::string_view> split_fields(std::string_view line);

// The file's contents, or nullopt when it cannot be opened or read.
std::optional<std::string> read_whole_file(const std::string& path);

}  // namespace tend::host
