// Sizes as operators type them: "500MB", "2GiB", "10K", or a bare number of
// bytes. KB/MB/GB/TB are powers of 1000; KiB/MiB/GiB/TiB and the bare
// letters K/M/G/T are powers of 1024 (as `ls -h` and `du` mean them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend {

Expected<uint64_t> parse_byte_size(std::string_view text);

// "1.5 GiB", "512 B": for messages.
std::string format_byte_size(uint64_t bytes);

}  // namespace tend
