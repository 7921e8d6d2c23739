#include "core/agent/plugin_host/plugin_memory_copy.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/common/write_all.h"

namespace tend {
namespace {

Error failure(const std::filesystem::path& path, std::string_view what) {
  return Error{fmt::format("{}: cannot {}: {}", path.string(), what, std::strerror(errno))};
}

}  // namespace

Expected<UniqueFd> copy_plugin_to_memory(const std::filesystem::path& path) {
  UniqueFd source(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!source) return failure(path, "open");
  const std::string name = "tend-plugin:" + path.filename().string();
  UniqueFd copy(::memfd_create(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING));
  if (!copy) return failure(path, "make an in-memory copy");
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(source.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failure(path, "read");
    if (n == 0) break;
    if (!write_all(copy.get(), std::string_view(buffer, static_cast<size_t>(n)))) {
      return failure(path, "copy");
    }
  }
  constexpr int kSeals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL;
  if (::fcntl(copy.get(), F_ADD_SEALS, kSeals) != 0) return failure(path, "seal its copy");
  return copy;
}

std::filesystem::path descriptor_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

}  // namespace tend
