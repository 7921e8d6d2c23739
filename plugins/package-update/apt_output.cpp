#include "plugins/package-update/apt_output.h"

#include <re2/re2.h>

#include <cstdlib>

namespace tend::package_update {
namespace {

re2::StringPiece piece(std::string_view text) { return {text.data(), text.size()}; }

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// The inside of "(new releases [arch])".
void read_candidate(std::string_view inside, PackageUpgrade& upgrade) {
  size_t space = inside.find(' ');
  upgrade.new_version = std::string(inside.substr(0, space));
  if (space == std::string_view::npos) return;
  std::string_view rest = inside.substr(space + 1);
  size_t bracket = rest.rfind(" [");
  if (bracket != std::string_view::npos && rest.back() == ']') {
    upgrade.arch = std::string(rest.substr(bracket + 2, rest.size() - bracket - 3));
    rest = rest.substr(0, bracket);
  } else if (rest.size() > 1 && rest.front() == '[' && rest.back() == ']') {
    upgrade.arch = std::string(rest.substr(1, rest.size() - 2));
    rest = {};
  }
  while (!rest.empty()) {
    size_t comma = rest.find(", ");
    upgrade.releases.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
}

}  // namespace

std::string PackageUpgrade::describe() const {
  return name + " " + (is_new() ? "(new)" : old_version) + " -> " + new_version;
}

std::vector<PackageUpgrade> parse_simulation(std::string_view output) {
  std::vector<PackageUpgrade> upgrades;
  for (std::string_view line : lines_of(output)) {
    if (line.substr(0, 5) != "Inst ") continue;
    line.remove_prefix(5);
    PackageUpgrade upgrade;
    size_t space = line.find(' ');
    upgrade.name = std::string(line.substr(0, space));
    if (upgrade.name.empty()) continue;
    std::string_view rest = space == std::string_view::npos ? "" : line.substr(space + 1);
    if (!rest.empty() && rest.front() == '[') {
      size_t close = rest.find(']');
      if (close == std::string_view::npos) continue;
      upgrade.old_version = std::string(rest.substr(1, close - 1));
      rest.remove_prefix(close + 1);
      if (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
    if (!rest.empty() && rest.front() == '(') {
      size_t close = rest.find(')');
      if (close == std::string_view::npos) continue;
      read_candidate(rest.substr(1, close - 1), upgrade);
    }
    if (upgrade.new_version.empty()) continue;
    upgrades.push_back(std::move(upgrade));
  }
  return upgrades;
}

std::optional<AptCounts> parse_counts(std::string_view output) {
  static const RE2 counts(
      R"((\d+) upgraded, (\d+) newly installed, (\d+) to remove and (\d+) not upgraded)");
  for (std::string_view line : lines_of(output)) {
    AptCounts found;
    if (RE2::PartialMatch(piece(line), counts, &found.upgraded, &found.newly_installed,
                          &found.removed, &found.not_upgraded)) {
      return found;
    }
  }
  return std::nullopt;
}

std::optional<LockHolder> parse_lock_error(std::string_view output) {
  static const RE2 held(
      R"(Could not get lock (\S+?)\.? It is held by process (\d+)(?: \(([^)]*)\))?)");
  static const RE2 unheld(R"(Could not get lock (\S+?)\.?(?: |$))");
  for (std::string_view line : lines_of(output)) {
    LockHolder found;
    if (RE2::PartialMatch(piece(line), held, &found.path, &found.pid, &found.process)) return found;
    if (RE2::PartialMatch(piece(line), unheld, &found.path)) return found;
  }
  return std::nullopt;
}

std::vector<std::string> lines_starting(std::string_view output, std::string_view prefix) {
  std::vector<std::string> found;
  for (std::string_view line : lines_of(output)) {
    if (line.substr(0, prefix.size()) == prefix) found.emplace_back(line.substr(prefix.size()));
  }
  return found;
}

}  // namespace tend::package_update
