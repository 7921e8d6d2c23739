#include "core/host/failed_units.h"

#include <sys/stat.h>

#include "core/host/proc_text.h"

namespace tend::host {
namespace {

constexpr std::string_view kBullet = "\u25cf";  // ●

}  // namespace

std::vector<std::string> parse_failed_units(std::string_view text) {
  std::vector<std::string> units;
  for (std::string_view line : split_lines(text)) {
    auto fields = split_fields(line);
    if (!fields.empty() && (fields[0] == kBullet || fields[0] == "*")) {
      fields.erase(fields.begin());
    }
    if (!fields.empty()) units.emplace_back(fields[0]);
  }
  return units;
}

bool systemd_running() {
  struct stat st {};
  return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace tend::host
