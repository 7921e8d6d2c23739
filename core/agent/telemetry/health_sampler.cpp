#include "core/agent/telemetry/health_sampler.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include "core/host/failed_units.h"
#include "core/host/load.h"
#include "core/host/memory.h"
#include "core/host/mounts.h"
#include "core/host/proc_text.h"

extern char** environ;

namespace tend {
namespace {

using namespace std::chrono_literals;

constexpr size_t kMaxMounts = 32;
constexpr auto kUnitsEvery = 60s;
constexpr auto kSystemctlTimeout = 3s;
constexpr size_t kMaxSystemctlOutput = 64 * 1024;

// `systemctl --failed`'s output, or nothing when it could not say in time.
std::optional<std::string> run_systemctl() {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const char* argv[] = {"systemctl", "--failed", "--plain", "--no-legend", "--no-pager", nullptr};
  pid_t pid = 0;
  int spawned =
      posix_spawnp(&pid, "systemctl", &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return std::nullopt;
  }
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + kSystemctlTimeout;
  bool complete = false;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline && out.size() < kMaxSystemctlOutput) {
    pollfd fd{pipe_fds[0], POLLIN, 0};
    if (poll(&fd, 1, 100) <= 0) continue;
    ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    if (n <= 0) {
      complete = n == 0;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  if (!complete) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!complete || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::vector<std::string> HealthSampler::failed_units() {
  std::lock_guard lock(mu_);
  auto now = std::chrono::steady_clock::now();
  if (units_read_at_ != std::chrono::steady_clock::time_point{} &&
      now - units_read_at_ < kUnitsEvery) {
    return units_;
  }
  units_read_at_ = now;
  if (auto out = run_systemctl()) {
    units_ = host::parse_failed_units(*out);
  } else {
    spdlog::debug("health: systemctl --failed did not answer; keeping the last list");
  }
  return units_;
}

tend::Health HealthSampler::sample() {
  tend::Health health;
  if (auto table = host::read_whole_file("/proc/self/mounts")) {
    size_t skipped = 0;
    uint32_t fullest = 0;
    for (const auto& m : host::read_mount_usage(host::parse_mounts(*table), kMaxMounts, skipped)) {
      auto* mount = health.add_mounts();
      mount->set_mount(m.mount_point);
      mount->set_fs_type(m.fs_type);
      mount->set_used_percent(static_cast<uint32_t>(std::max(0, m.disk_percent)));
      mount->set_inodes_used_percent(m.inode_percent);
      mount->set_size_bytes(m.size_bytes);
      mount->set_available_bytes(m.available_bytes);
      fullest = std::max(fullest, mount->used_percent());
    }
    health.set_disk_used_percent_max(fullest);
  }
  if (auto text = host::read_whole_file("/proc/meminfo")) {
    if (auto mem = host::parse_meminfo(*text)) {
      health.set_mem_total_bytes(mem->total_bytes);
      health.set_mem_available_bytes(mem->available_bytes);
      health.set_mem_used_percent(static_cast<uint32_t>(std::max(0, mem->used_percent())));
    }
  }
  if (auto text = host::read_whole_file("/proc/loadavg")) {
    if (auto load = host::parse_loadavg(*text)) {
      health.set_load1(load->one);
      health.set_load5(load->five);
      health.set_load15(load->fifteen);
    }
  }
  health.set_cpus(static_cast<uint32_t>(host::online_cpus()));
  health.set_systemd_running(host::systemd_running());
  if (health.systemd_running()) {
    for (auto& unit : failed_units()) health.add_failed_units(std::move(unit));
  }
  return health;
}

}  // namespace tend
