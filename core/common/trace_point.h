// Timestamps along the task path, for finding where the time goes: with
// TEND_TRACE=FILE in its environment, every tend program (and each plugin
// runner) appends one line per step to FILE:
//   TP <CLOCK_MONOTONIC microseconds> <pid> <step> [<task id>]
// The clock is the machine's, so lines from different processes line up;
// tests/bench/trace_steps.py turns a file into the median time per step.
// Without TEND_TRACE a step costs one well-predicted branch.
#pragma once

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace tend {

namespace trace_detail {
struct File {
  int fd = -1;
  pid_t pid = 0;  // the process that opened it
};
inline File open_file() {
  const char* path = std::getenv("TEND_TRACE");
  if (!path || !*path) return {};
  return {::open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644), getpid()};
}
// Opened once per process (O_APPEND keeps concurrent writers' lines whole),
// and again in a forked child: the runner zygote's children close what
// they inherit.
inline int file() {
  static File file = open_file();
  if (file.fd >= 0 && file.pid != getpid()) file = open_file();
  return file.fd;
}
}  // namespace trace_detail

inline void trace_point(const char* step, std::string_view task_id = {}) {
  const int fd = trace_detail::file();
  if (fd < 0) return;
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  char line[256];
  int n = std::snprintf(line, sizeof line, "TP %lld %d %s %.*s\n",
                        static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000,
                        static_cast<int>(getpid()), step, static_cast<int>(task_id.size()),
                        task_id.empty() ? "" : task_id.data());
  if (n > 0) (void)!::write(fd, line, static_cast<size_t>(std::min<int>(n, sizeof line - 1)));
}

}  // namespace tend
