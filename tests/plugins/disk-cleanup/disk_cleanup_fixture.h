// The disk-cleanup tests' fixture: a 16 MiB tmpfs per test, filled with
// files of known sizes and ages, the plugin's roots inside it, the real .so
// loaded as the runner loads it.
#pragma once

#include <fcntl.h>
#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "core/agent/plugin_host/plugin_call.h"
#include "core/agent/plugin_host/plugin_params.h"
#include "tests/support/plugin_harness.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tmpfs_mount.h"

namespace tend {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::PluginHarness;
using testing::TmpfsMount;

inline constexpr int64_t kMiB = 1024 * 1024;
inline constexpr int64_t kHour = 3600;
inline constexpr int64_t kDay = 86400;
inline constexpr int64_t kOld = 10 * kDay;  // older than the default max_age of 7d
inline constexpr int64_t kYoung = kHour;

class DiskCleanup : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    mount_ = TmpfsMount::mount(16 * kMiB, why);
    if (!mount_) GTEST_SKIP() << why;
    root_ = mount_->path();
    auto loaded = PluginHarness::load(TEND_PLUGIN_FILE);
    ASSERT_TRUE(loaded) << loaded.error().message;
    plugin_ = std::make_unique<PluginHarness>(std::move(*loaded));
  }

  // Writes `size` bytes at root/relative, last modified `age` seconds ago.
  fs::path file(const std::string& relative, int64_t size, int64_t age, char fill = 'x') {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << std::string(static_cast<size_t>(size), fill);
    age_file(path, age);
    return path;
  }

  // Text that compresses the way real logs do.
  fs::path log_text(const std::string& relative, int64_t size, int64_t age) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::string line = "2026-01-01T02:00:00Z web-01 nginx: GET /index.html 200 512 0.003\n";
    std::string text;
    while (static_cast<int64_t>(text.size()) < size) text += line;
    text.resize(static_cast<size_t>(size));
    std::ofstream(path, std::ios::binary) << text;
    age_file(path, age);
    return path;
  }

  static void age_file(const fs::path& path, int64_t age) {
    struct timespec when {
      .tv_sec = std::time(nullptr) - age, .tv_nsec = 0
    };
    const struct timespec times[2] = {when, when};
    ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
  }

  // The layout most tests start from: 13 MiB of 16 (81.25%).
  void standard_layout() {
    file("log/app.log.1", 3 * kMiB, kOld);
    file("log/app.log.2.gz", 1 * kMiB, kOld);
    file("log/app.log", 1 * kMiB, kYoung);  // the live log
    file("tmp/big.bin", 2 * kMiB, kOld);
    file("tmp/small.bin", 1 * kMiB, kOld);
    file("tmp/young.bin", 1 * kMiB, kYoung);
    file("backups/db.dump", 2 * kMiB, kOld);
    file("outside/keep.bin", 2 * kMiB, kOld);  // under no root
  }

  std::string roots() const {
    return "logs = [\"" + (root_ / "log").string() + "\"]\n" + "temp = [\"" +
           (root_ / "tmp").string() + "\"]\n" + "backups = [\"" + (root_ / "backups").string() +
           "\"]\n";
  }

  void configure(const std::string& extra = "") {
    auto set = plugin_->set_settings(roots() + extra);
    ASSERT_TRUE(set) << set.error().message;
  }

  PluginOutcome run(const std::string& params, bool dry_run = false) {
    auto outcome = plugin_->run(params, dry_run);
    EXPECT_TRUE(outcome) << outcome.error().message;
    return outcome ? *outcome : PluginOutcome{};
  }

  // Params with `path` set to the mount.
  std::string params(const std::string& more) const {
    return "{\"path\": \"" + root_.string() + "\"" + (more.empty() ? "" : ", " + more) + "}";
  }

  bool exists(const std::string& relative) const {
    struct stat st {};
    return lstat((root_ / relative).c_str(), &st) == 0;
  }

  double usage() const {
    struct statvfs vfs {};
    statvfs(root_.c_str(), &vfs);
    double used = static_cast<double>(vfs.f_blocks - vfs.f_bfree);
    return 100.0 * used / static_cast<double>(used + vfs.f_bavail);
  }

  std::unique_ptr<TmpfsMount> mount_;
  fs::path root_;
  std::unique_ptr<PluginHarness> plugin_;
};

}  // namespace tend
