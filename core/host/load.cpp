#include "core/host/load.h"

#include <unistd.h>

#include <charconv>

#include "core/host/proc_text.h"

namespace tend::host {
namespace {

// from_chars rather than strtod: the result must not depend on the locale.
std::optional<double> number(std::string_view field) {
  double value = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size() || value < 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<LoadAverage> parse_loadavg(std::string_view text) {
  auto lines = split_lines(text);
  if (lines.empty()) return std::nullopt;
  auto fields = split_fields(lines.front());
  if (fields.size() < 3) return std::nullopt;
  auto one = number(fields[0]), five = number(fields[1]), fifteen = number(fields[2]);
  if (!one || !five || !fifteen) return std::nullopt;
  return LoadAverage{*one, *five, *fifteen};
}

long online_cpus() {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return cpus > 0 ? cpus : 1;
}

}  // namespace tend::host
