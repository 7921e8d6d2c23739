// The health each heartbeat carries, read from this very machine and
// checked against what the kernel says directly.
#include "core/agent/telemetry/health_sampler.h"

#include <gtest/gtest.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

namespace tend {
namespace {

TEST(HealthSampler, ReportsThisMachinesFilesystemsMemoryAndLoad) {
  HealthSampler sampler;
  tend::Health health = sampler.sample();

  ASSERT_GT(health.mounts_size(), 0) << "at least the root filesystem";
  uint32_t fullest = 0;
  for (const auto& m : health.mounts()) {
    EXPECT_LE(m.used_percent(), 100u) << m.mount();
    EXPECT_GT(m.size_bytes(), 0u) << m.mount();
    fullest = std::max(fullest, m.used_percent());
  }
  EXPECT_EQ(health.disk_used_percent_max(), fullest);

  struct sysinfo info {};
  ASSERT_EQ(sysinfo(&info), 0);
  EXPECT_EQ(health.mem_total_bytes(), static_cast<uint64_t>(info.totalram) * info.mem_unit);
  EXPECT_LE(health.mem_used_percent(), 100u);
  EXPECT_EQ(health.cpus(), static_cast<uint32_t>(sysconf(_SC_NPROCESSORS_ONLN)));
  EXPECT_GE(health.load1(), 0.0);
  if (!health.systemd_running()) {
    EXPECT_EQ(health.failed_units_size(), 0);
  }
}

}  // namespace
}  // namespace tend
