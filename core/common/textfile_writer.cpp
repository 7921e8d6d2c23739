#include "core/common/textfile_writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/common/write_all.h"

namespace tend {
namespace {

constexpr mode_t kReadableByAll = 0644;

Error failed(const std::filesystem::path& file, std::string_view step,
             const std::filesystem::path& what, int error) {
  return make_error(fmt::format("cannot write metrics file {}: {} {}: {}", file.string(), step,
                                what.string(), std::strerror(error)));
}

// So that the rename itself survives a power cut; a failure here loses
// nothing that the next write would not bring back, so it is not reported.
void sync_directory(const std::filesystem::path& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)fsync(fd);
  close(fd);
}

}  // namespace

TextfileWriter::TextfileWriter(std::filesystem::path dir, const std::string& name)
    : path_(dir / (name + ".prom")),
      temp_path_(dir / fmt::format("{}.prom.tmp.{}", name, getpid())) {}

Expected<void> TextfileWriter::write(std::string_view text) const {
  int fd = open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, kReadableByAll);
  if (fd < 0) return failed(path_, "open", temp_path_, errno);
  // Whatever the umask says: node_exporter must be able to read it.
  bool ok = fchmod(fd, kReadableByAll) == 0 && write_all(fd, text) && fsync(fd) == 0;
  int error = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    unlink(temp_path_.c_str());
    return failed(path_, "write", temp_path_, error);
  }
  if (rename(temp_path_.c_str(), path_.c_str()) != 0) {
    error = errno;
    unlink(temp_path_.c_str());
    return failed(path_, "rename", temp_path_, error);
  }
  sync_directory(path_.parent_path());
  return {};
}

}  // namespace tend
