#include "core/agent/runner/frame_io.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/common/write_all.h"

namespace tend {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

Expected<void> write_bytes(int fd, std::string_view data) {
  if (write_all(fd, data)) return {};
  return make_error(fmt::format("write failed: {}", std::strerror(errno)));
}

Expected<void> read_all(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return make_error("pipe closed before the whole frame arrived");
    if (n < 0) return make_error(fmt::format("read failed: {}", std::strerror(errno)));
    data += n;
    size -= static_cast<size_t>(n);
  }
  return {};
}

}  // namespace

Expected<void> write_frame(int fd, std::string_view payload) {
  if (payload.size() > kMaxFrameBytes) return make_error("frame too large");
  uint32_t n = static_cast<uint32_t>(payload.size());
  const char header[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                          static_cast<char>(n >> 8), static_cast<char>(n)};
  if (auto ok = write_bytes(fd, std::string_view(header, sizeof(header))); !ok) return ok;
  return write_bytes(fd, payload);
}

Expected<std::string> read_frame(int fd) {
  unsigned char header[4];
  if (auto ok = read_all(fd, reinterpret_cast<char*>(header), sizeof(header)); !ok) {
    return ok.error();
  }
  uint32_t n = (uint32_t{header[0]} << 24) | (uint32_t{header[1]} << 16) |
               (uint32_t{header[2]} << 8) | uint32_t{header[3]};
  if (n > kMaxFrameBytes) return make_error(fmt::format("frame of {} bytes is too large", n));
  // Grown as the bytes arrive: a header alone does not make it allocate 64 MiB.
  std::string payload;
  while (payload.size() < n) {
    const size_t at = payload.size();
    const size_t chunk = std::min<size_t>(n - at, kReadChunk);
    payload.resize(at + chunk);
    if (auto ok = read_all(fd, payload.data() + at, chunk); !ok) return ok.error();
  }
  return payload;
}

}  // namespace tend
