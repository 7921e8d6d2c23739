#include "plugins/package-update/upgrade_selection.h"

#include <fnmatch.h>

#include <algorithm>

namespace tend::package_update {
namespace {

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// "Label:Version/Suite" or "Label:Suite": label and suite.
bool security_release(const std::string& release) {
  size_t colon = release.find(':');
  std::string label = colon == std::string::npos ? "" : release.substr(0, colon);
  std::string rest = colon == std::string::npos ? release : release.substr(colon + 1);
  std::string suite = rest.substr(rest.find('/') == std::string::npos ? 0 : rest.find('/') + 1);
  return label == "Debian-Security" || ends_with(suite, "-security") || ends_with(rest, "/updates");
}

std::string base_name(const std::string& name) { return name.substr(0, name.find(':')); }

bool named(const std::vector<std::string>& packages, const PackageUpgrade& upgrade) {
  return std::any_of(packages.begin(), packages.end(), [&](const std::string& wanted) {
    return wanted == upgrade.name ||
           (wanted.find(':') == std::string::npos && wanted == base_name(upgrade.name) &&
            upgrade.name.find(':') == std::string::npos);
  });
}

}  // namespace

bool excluded(const SelectionRules& rules, const PackageUpgrade& upgrade) {
  return std::any_of(rules.exclude.begin(), rules.exclude.end(), [&](const std::string& pattern) {
    return fnmatch(pattern.c_str(), base_name(upgrade.name).c_str(), 0) == 0 ||
           fnmatch(pattern.c_str(), upgrade.name.c_str(), 0) == 0;
  });
}

bool from_security(const PackageUpgrade& upgrade) {
  return std::any_of(upgrade.releases.begin(), upgrade.releases.end(), security_release);
}

Selection select_upgrades(const std::vector<PackageUpgrade>& offered, const SelectionRules& rules) {
  Selection selection;
  for (const auto& upgrade : offered) {
    bool take = !upgrade.is_new() && (!rules.security_only || from_security(upgrade)) &&
                (rules.packages.empty() || named(rules.packages, upgrade)) &&
                !excluded(rules, upgrade);
    if (!take) {
      selection.left_out.push_back(upgrade);
      continue;
    }
    if (from_security(upgrade)) ++selection.security;
    selection.targets.push_back(upgrade);
  }
  for (const auto& wanted : rules.packages) {
    bool taken = std::any_of(selection.targets.begin(), selection.targets.end(),
                             [&](const PackageUpgrade& u) { return named({wanted}, u); });
    if (!taken) selection.named_not_taken.push_back(wanted);
  }
  return selection;
}

}  // namespace tend::package_update
