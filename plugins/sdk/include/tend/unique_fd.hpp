/*
 * tend/unique_fd.hpp — the one owner of a file descriptor, closed when the
 * owner goes, as std::unique_ptr owns memory:
 *
 *   tend::UniqueFd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
 *   if (!dir) return tend::make_error(path + ": " + std::strerror(errno));
 *   ... openat(dir.get(), name, ...) ...
 *
 * Header-only, needing nothing but POSIX close(2). tend-agent uses the same
 * class for its pipes, sockets and in-memory plugin copies.
 */
#pragma once

#include <unistd.h>

#include <utility>

namespace tend {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  // False for the empty owner and for a failed open(2) (-1).
  explicit operator bool() const { return fd_ >= 0; }
  // Closes the descriptor held, if any, and holds `fd` instead.
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace tend
