// Numbers as an on-call engineer reads them at 2 AM: "3.2 GiB", "1,204",
// "93.4%", "7d".
#pragma once

#include <cstdint>
#include <string>

namespace tend::disk_cleanup {

// Binary units, one decimal from KiB up: "512 B", "1.5 KiB", "3.2 GiB".
// Negative amounts (a file that grew when compressed) keep their sign.
std::string format_bytes(int64_t bytes);

// Thousands separated by commas: "1,204".
std::string format_count(uint64_t count);

// One decimal and a percent sign: "93.4%".
std::string format_percent(double percent);

// The largest whole unit: "7d", "36h", "90m", "45s".
std::string format_duration(int64_t seconds);

// "1 file", "3 files".
std::string count_of(uint64_t count, const std::string& singular, const std::string& plural);

}  // namespace tend::disk_cleanup
