#include "core/host/memory.h"

#include <charconv>
#include <map>
#include <string>

#include "core/host/proc_text.h"

namespace tend::host {

int MemInfo::used_percent() const {
  if (total_bytes == 0) return 0;
  uint64_t used = total_bytes > available_bytes ? total_bytes - available_bytes : 0;
  return static_cast<int>((used * 100 + total_bytes / 2) / total_bytes);
}

std::optional<MemInfo> parse_meminfo(std::string_view text) {
  // "MemTotal:       24683656 kB": a name, a number, a unit (kB or none).
  std::map<std::string, uint64_t, std::less<>> bytes;
  for (std::string_view line : split_lines(text)) {
    auto fields = split_fields(line);
    if (fields.size() < 2 || fields[0].back() != ':') continue;
    uint64_t number = 0;
    auto [end, ec] = std::from_chars(fields[1].data(), fields[1].data() + fields[1].size(), number);
    if (ec != std::errc() || end != fields[1].data() + fields[1].size()) continue;
    uint64_t scale = fields.size() > 2 && fields[2] == "kB" ? 1024 : 1;
    bytes[std::string(fields[0].substr(0, fields[0].size() - 1))] = number * scale;
  }
  auto get = [&](std::string_view key) -> std::optional<uint64_t> {
    auto it = bytes.find(key);
    return it == bytes.end() ? std::nullopt : std::optional(it->second);
  };
  auto total = get("MemTotal");
  if (!total || *total == 0) return std::nullopt;
  MemInfo info{.total_bytes = *total};
  if (auto available = get("MemAvailable")) {
    info.available_bytes = *available;
  } else {
    info.available_bytes =
        get("MemFree").value_or(0) + get("Buffers").value_or(0) + get("Cached").value_or(0);
  }
  info.swap_total_bytes = get("SwapTotal").value_or(0);
  info.swap_free_bytes = get("SwapFree").value_or(0);
  return info;
}

}  // namespace tend::host
