#include "plugins/disk-cleanup/file_actions.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <vector>

namespace tend::disk_cleanup {
namespace {

constexpr size_t kChunk = 128 * 1024;
constexpr int kGzipLevel = 6;  // gzip's own default: most of the gain, a fraction of -9's time

ActionOutcome not_done(std::string reason) {
  return {.done = false, .reclaimed = 0, .reason = reason};
}

std::string errno_text() { return std::strerror(errno); }

bool same_mtime(const struct timespec& a, const struct timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

// Empty when `st` is still the file the scan judged, else why not.
std::string still_the_candidate(const struct stat& st, const Candidate& file) {
  if (!S_ISREG(st.st_mode) || identity_of(st) != file.file) return "replaced since the scan";
  if (!same_mtime(st.st_mtim, file.mtime)) return "written to since the scan";
  if (st.st_nlink != 1) return "has another hard link now";
  return "";
}

// The file's directory, re-opened from the root, and the file checked in it.
struct Located {
  UniqueFd dir;
  struct stat st {};
};

Expected<Located> locate(const CleanupRoot& root, const Candidate& file) {
  Expected<UniqueFd> dir = open_directory_below(root.fd.get(), file.dirs, file.parent);
  if (!dir) return dir.error();
  Located found{std::move(*dir)};
  if (fstatat(found.dir.get(), file.name.c_str(), &found.st, AT_SYMLINK_NOFOLLOW) != 0) {
    return make_error(errno == ENOENT ? "already gone" : errno_text());
  }
  if (std::string why = still_the_candidate(found.st, file); !why.empty()) {
    return make_error(why);
  }
  return found;
}

bool looks_compressed(int fd) {
  std::array<unsigned char, 6> head{};
  ssize_t got = pread(fd, head.data(), head.size(), 0);
  if (got < 4) return false;
  auto starts = [&](std::initializer_list<unsigned char> magic) {
    return static_cast<size_t>(got) >= magic.size() &&
           std::equal(magic.begin(), magic.end(), head.begin());
  };
  return starts({0x1f, 0x8b}) ||                      // gzip
         starts({0xfd, '7', 'z', 'X', 'Z', 0x00}) ||  // xz
         starts({'B', 'Z', 'h'}) ||                   // bzip2
         starts({0x28, 0xb5, 0x2f, 0xfd}) ||          // zstd
         starts({0x04, 0x22, 0x4d, 0x18}) ||          // lz4
         starts({'P', 'K', 0x03, 0x04});              // zip
}

bool write_all(int fd, const unsigned char* data, size_t size) {
  while (size > 0) {
    ssize_t wrote = write(fd, data, size);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += wrote;
    size -= static_cast<size_t>(wrote);
  }
  return true;
}

// Empty on success, else why it stopped.
std::string deflate_file(int in, int out, const std::function<bool()>& cancelled) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, kGzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return "zlib could not start";
  }
  std::vector<unsigned char> input(kChunk), output(kChunk);
  std::string failure;
  int flush = Z_NO_FLUSH;
  while (failure.empty() && flush != Z_FINISH) {
    if (cancelled && cancelled()) {
      failure = "cancelled";
      break;
    }
    ssize_t got = read(in, input.data(), input.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      failure = "cannot read it: " + errno_text();
      break;
    }
    flush = got == 0 ? Z_FINISH : Z_NO_FLUSH;
    stream.next_in = input.data();
    stream.avail_in = static_cast<uInt>(got);
    do {
      stream.next_out = output.data();
      stream.avail_out = static_cast<uInt>(output.size());
      deflate(&stream, flush);
      size_t have = output.size() - stream.avail_out;
      if (!write_all(out, output.data(), have)) {
        failure = errno == ENOSPC ? "no space left to write the .gz (action=delete needs none)"
                                  : "cannot write the .gz: " + errno_text();
        break;
      }
    } while (stream.avail_out == 0);
  }
  deflateEnd(&stream);
  return failure;
}

}  // namespace

ActionOutcome delete_candidate(const CleanupRoot& root, const Candidate& file) {
  Expected<Located> found = locate(root, file);
  if (!found) return not_done(found.error().message);
  if (unlinkat(found->dir.get(), file.name.c_str(), 0) != 0) return not_done(errno_text());
  return {.done = true, .reclaimed = static_cast<int64_t>(found->st.st_blocks) * 512};
}

ActionOutcome gzip_candidate(const CleanupRoot& root, const Candidate& file,
                             const std::function<bool()>& cancelled) {
  Expected<Located> found = locate(root, file);
  if (!found) return not_done(found.error().message);
  int dir = found->dir.get();
  std::string gz_name = file.name + ".gz";
  if (gz_name.size() > NAME_MAX) return not_done("its name is too long to add .gz");

  // O_NONBLOCK: should a FIFO have taken the name after all, do not hang on it.
  UniqueFd in(openat(dir, file.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  struct stat in_st {};
  if (!in || fstat(in.get(), &in_st) != 0) return not_done("cannot open it: " + errno_text());
  if (std::string why = still_the_candidate(in_st, file); !why.empty()) return not_done(why);
  if (looks_compressed(in.get())) return not_done("its content is already compressed");
  struct stat existing {};
  if (fstatat(dir, gz_name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
    return not_done(gz_name + " already exists");
  }

  std::string temp_name = ".tend-gzip-" + std::to_string(getpid()) + "-" +
                          std::to_string(static_cast<unsigned long long>(in_st.st_ino));
  UniqueFd out(
      openat(dir, temp_name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) return not_done("cannot create a temporary file beside it: " + errno_text());
  auto abandon = [&](std::string why) {
    unlinkat(dir, temp_name.c_str(), 0);
    return not_done(std::move(why));
  };
  if (std::string failure = deflate_file(in.get(), out.get(), cancelled); !failure.empty()) {
    return abandon(failure);
  }
  // Same owner, mode and times as the original, so rotation and retention
  // tools that go by mtime treat the .gz as the file it replaces.
  if (fchown(out.get(), in_st.st_uid, in_st.st_gid) != 0 && geteuid() == 0) {
    return abandon("cannot give the .gz its owner: " + errno_text());
  }
  const struct timespec times[2] = {in_st.st_atim, in_st.st_mtim};
  if (fchmod(out.get(), in_st.st_mode & 07777) != 0 || futimens(out.get(), times) != 0) {
    return abandon("cannot give the .gz its mode and times: " + errno_text());
  }
  // On disk before the original goes.
  if (fsync(out.get()) != 0) return abandon("cannot flush the .gz: " + errno_text());
  if (renameat2(dir, temp_name.c_str(), dir, gz_name.c_str(), RENAME_NOREPLACE) != 0) {
    return abandon("cannot put " + gz_name + " in place: " + errno_text());
  }

  // Only the file that was compressed is removed; anything else that took
  // its name meanwhile stays, and so does the original with it.
  struct stat now {};
  if (fstatat(dir, file.name.c_str(), &now, AT_SYMLINK_NOFOLLOW) != 0 ||
      !still_the_candidate(now, file).empty() || unlinkat(dir, file.name.c_str(), 0) != 0) {
    unlinkat(dir, gz_name.c_str(), 0);
    return not_done("changed while it was being compressed; left as it was");
  }
  struct stat gz_st {};
  fstat(out.get(), &gz_st);
  int64_t reclaimed = (static_cast<int64_t>(in_st.st_blocks) - gz_st.st_blocks) * 512;
  return {.done = true, .reclaimed = reclaimed};
}

}  // namespace tend::disk_cleanup
