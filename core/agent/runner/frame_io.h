// Length-prefixed frames on a pipe between tend-agent and tend-plugin-runner:
// a 4-byte big-endian length, then that many bytes.
#pragma once

#include <string>
#include <string_view>

#include "bus/expected.h"

namespace tend {

inline constexpr size_t kMaxFrameBytes = 64 * 1024 * 1024;

// Writes the whole frame, retrying on EINTR and short writes.
Expected<void> write_frame(int fd, std::string_view payload);

// Reads one whole frame; an error on EOF, a short read or an oversized frame.
Expected<std::string> read_frame(int fd);

}  // namespace tend
