#include "tests/fuzz/support/input_file.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/common/write_all.h"
#include "tests/fuzz/support/fuzz_check.h"

namespace tend::fuzz {

InputFile::InputFile(const char* name) : fd_(memfd_create(name, MFD_CLOEXEC)) {
  if (fd_ < 0) broken("the harness can make its input file", std::strerror(errno));
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

InputFile::~InputFile() { ::close(fd_); }

void InputFile::hold(std::string_view content) {
  bool written =
      ::ftruncate(fd_, 0) == 0 && ::lseek(fd_, 0, SEEK_SET) == 0 && write_all(fd_, content);
  if (!written) broken("the harness can write its input file", std::strerror(errno));
  rewind();
}

void InputFile::rewind() {
  if (::lseek(fd_, 0, SEEK_SET) != 0) broken("the harness can rewind its input file");
}

}  // namespace tend::fuzz
