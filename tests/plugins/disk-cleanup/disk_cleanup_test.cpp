// disk-cleanup against a real filesystem: each test mounts a 16 MiB tmpfs,
// fills it with files of known sizes and ages, points the plugin's roots
// inside it, and checks what is left afterwards — through the real .so,
// loaded as the runner loads it.
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
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::PluginHarness;
using testing::TmpfsMount;

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;
constexpr int64_t kOld = 10 * kDay;  // older than the default max_age of 7d
constexpr int64_t kYoung = kHour;

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

TEST_F(DiskCleanup, StopsAsSoonAsUsageIsBelowTheTarget) {
  standard_layout();
  configure();
  auto outcome = run(params("\"target_usage\": 70"));
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(outcome.verified);
  // The largest old log alone brings 81% under 70%; nothing else goes.
  EXPECT_FALSE(exists("log/app.log.1"));
  for (const char* kept : {"log/app.log.2.gz", "log/app.log", "tmp/big.bin", "tmp/small.bin",
                           "backups/db.dump", "outside/keep.bin"}) {
    EXPECT_TRUE(exists(kept)) << kept;
  }
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed"), 3 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_logs"), 3 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_temp"), 0);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_backups"), 0);
  EXPECT_EQ(outcome.figures.at("files_removed"), 1);
  EXPECT_EQ(outcome.figures.at("files_compressed"), 0);
  EXPECT_EQ(outcome.outputs.at("usage_after"), "62.5%");
  EXPECT_THAT(outcome.outputs.at("logs"), HasSubstr("deleted 1 file"));
  EXPECT_THAT(outcome.outputs.at("largest"), HasSubstr("app.log.1 (3.0 MiB, deleted)"));
  EXPECT_THAT(outcome.summary, HasSubstr("deleted 1 file, 3.0 MiB reclaimed;"));
  EXPECT_THAT(outcome.summary, HasSubstr("-> 62.5% (target 70%)"));
}

TEST_F(DiskCleanup, TakesLogsThenTempLargestFirst) {
  standard_layout();
  configure();
  // 81% -> 56% after every old log; the 2 MiB temp file then suffices, so the
  // 1 MiB one stays even though it alone would have been enough too.
  auto outcome = run(params("\"target_usage\": 55"));
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_FALSE(exists("log/app.log.1"));
  EXPECT_FALSE(exists("log/app.log.2.gz"));
  EXPECT_FALSE(exists("tmp/big.bin"));
  EXPECT_TRUE(exists("tmp/small.bin"));
  EXPECT_TRUE(exists("backups/db.dump"));
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_logs"), 4 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_temp"), 2 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_backups"), 0);
  EXPECT_EQ(outcome.outputs.at("backups"), "nothing touched");
}

TEST_F(DiskCleanup, GivesUpBackupsOnlyWhenLogsAndTempAreNotEnough) {
  standard_layout();
  configure();
  auto outcome = run(params("\"target_usage\": 30"));
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_FALSE(exists("backups/db.dump"));
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_logs"), 4 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_temp"), 3 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_backups"), 2 * kMiB);
  EXPECT_EQ(outcome.figures.at("files_removed"), 5);
  EXPECT_EQ(outcome.outputs.at("usage_after"), "25.0%");
}

TEST_F(DiskCleanup, FailsSayingWhatIsLeftWhenEverythingItMayCleanIsNotEnough) {
  standard_layout();
  file("tmp/linked.bin", 1 * kMiB, kOld);
  fs::create_hard_link(root_ / "tmp/linked.bin", root_ / "tmp/linked-too.bin");
  configure();
  auto outcome = run(params("\"target_usage\": 10"));
  EXPECT_FALSE(outcome.succeeded);
  // Young files, files with another hard link, and files outside the roots
  // are never touched, whatever the target.
  for (const char* kept : {"log/app.log", "tmp/young.bin", "tmp/linked.bin", "tmp/linked-too.bin",
                           "outside/keep.bin"}) {
    EXPECT_TRUE(exists(kept)) << kept;
  }
  EXPECT_FALSE(exists("backups/db.dump"));
  EXPECT_THAT(outcome.error, HasSubstr("usage is still 31.2% (target 10%)"));
  EXPECT_THAT(outcome.error, HasSubstr("after reclaiming 9.0 MiB from 5 files"));
  EXPECT_THAT(outcome.error, HasSubstr("2 files younger than max_age (7d), 2.0 MiB"));
  EXPECT_THAT(outcome.error, HasSubstr("1 file with other hard links, 1.0 MiB"));
  EXPECT_THAT(outcome.error, HasSubstr("2.0 MiB in use lies outside the cleanup roots"));
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed"), 9 * kMiB);
}

TEST_F(DiskCleanup, NeverFollowsASymlinkOutOfItsRoots) {
  file("outside/keep.bin", 2 * kMiB, kOld);
  file("outside/dir/inner.log", 1 * kMiB, kOld);
  file("outside/dir/inner.bin", 1 * kMiB, kOld);
  file("tmp/filler.bin", 8 * kMiB, kYoung);
  fs::create_directories(root_ / "log");
  fs::create_directories(root_ / "backups");
  fs::create_symlink(root_ / "outside/keep.bin", root_ / "tmp/link-to-file");
  fs::create_symlink(root_ / "outside/dir", root_ / "tmp/link-to-dir");
  fs::create_symlink(root_ / "outside/dir/inner.log", root_ / "log/looks-like.log");
  // ".." through a symlinked directory would escape too.
  fs::create_symlink("../outside", root_ / "backups/up");
  for (const char* link : {"tmp/link-to-file", "tmp/link-to-dir", "log/looks-like.log"}) {
    age_file(root_ / link, kOld);
  }
  configure();
  auto outcome = run(params("\"target_usage\": 10"));
  EXPECT_FALSE(outcome.succeeded);  // nothing it may touch is old
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed"), 0);
  for (const char* kept :
       {"outside/keep.bin", "outside/dir/inner.log", "outside/dir/inner.bin", "tmp/link-to-file",
        "tmp/link-to-dir", "log/looks-like.log", "backups/up"}) {
    EXPECT_TRUE(exists(kept)) << kept;
  }
  EXPECT_EQ(fs::file_size(root_ / "outside/keep.bin"), static_cast<uintmax_t>(2 * kMiB));
  EXPECT_THAT(outcome.outputs.at("not_walked"), HasSubstr("4 symlinks not followed"));
}

TEST_F(DiskCleanup, ARootThatIsASymlinkIsNotUsed) {
  file("outside/old.bin", 12 * kMiB, kOld);
  fs::create_symlink(root_ / "outside", root_ / "tmp-link");
  ASSERT_TRUE(plugin_->set_settings("temp = [\"" + (root_ / "tmp-link").string() + "\"]"));
  auto outcome = run(params("\"target_usage\": 50"));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_TRUE(exists("outside/old.bin"));
  EXPECT_THAT(outcome.error, HasSubstr("none of the configured roots can lower the usage"));
  EXPECT_THAT(outcome.error, HasSubstr("tmp-link is a symbolic link, which disk-cleanup never "
                                       "follows"));
}

TEST_F(DiskCleanup, DoesNotWalkIntoAnotherFilesystemMountedUnderARoot) {
  file("tmp/old.bin", 1 * kMiB, kOld);
  file("log/filler.log", 12 * kMiB, kYoung);
  fs::create_directories(root_ / "tmp/mnt");
  std::string why;
  auto nested = TmpfsMount::mount_at(root_ / "tmp/mnt", 4 * kMiB, why);
  ASSERT_TRUE(nested) << why;
  file("tmp/mnt/other-fs.bin", 1 * kMiB, kOld);
  configure();
  auto outcome = run(params("\"target_usage\": 10"));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_FALSE(exists("tmp/old.bin"));
  EXPECT_TRUE(exists("tmp/mnt/other-fs.bin"));
  EXPECT_THAT(outcome.outputs.at("not_walked"),
              HasSubstr("1 directory on another filesystem not entered"));
}

TEST_F(DiskCleanup, SaysARootOnAnotherFilesystemCannotHelp) {
  standard_layout();
  testing::TempDir elsewhere("tend-disk-cleanup");
  fs::path far_file = elsewhere.write("far.dump", std::string(1024, 'x'));
  age_file(far_file, kOld);
  ASSERT_TRUE(plugin_->set_settings("logs = [\"" + (root_ / "log").string() + "\"]\nbackups = [\"" +
                                    elsewhere.path().string() + "\"]"));
  auto outcome = run(params("\"target_usage\": 70"));
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(fs::exists(far_file));
  EXPECT_THAT(outcome.outputs.at("skipped_roots"),
              HasSubstr(elsewhere.path().string() + " is on another filesystem than " +
                        root_.string() + ", so cleaning it cannot lower that usage"));
}

TEST_F(DiskCleanup, ADryRunChangesNothingAndSaysWhatItWouldDo) {
  standard_layout();
  configure();
  std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> before;
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    before[entry.path()] = {entry.is_regular_file() ? entry.file_size() : 0,
                            entry.last_write_time()};
  }
  auto outcome = run(params("\"target_usage\": 55"), /*dry_run=*/true);
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> after;
  for (const auto& entry : fs::recursive_directory_iterator(root_)) {
    after[entry.path()] = {entry.is_regular_file() ? entry.file_size() : 0,
                           entry.last_write_time()};
  }
  EXPECT_EQ(after, before);
  EXPECT_THAT(outcome.summary, HasSubstr("dry run: would delete 3 files, about 6.0 MiB;"));
  EXPECT_THAT(outcome.summary, HasSubstr("-> about 43.8% (target 55%)"));
  EXPECT_EQ(outcome.outputs.at("bytes_would_reclaim"), std::to_string(6 * kMiB));
  EXPECT_EQ(outcome.outputs.at("usage_expected_after"), "43.8%");
  EXPECT_THAT(outcome.outputs.at("logs"), HasSubstr("would delete 2 files (about 4.0 MiB)"));
  EXPECT_THAT(outcome.outputs.at("logs"), HasSubstr("log/app.log.1 (3.0 MiB)"));
  EXPECT_THAT(outcome.outputs.at("temp"), HasSubstr("tmp/big.bin (2.0 MiB)"));
  EXPECT_THAT(outcome.outputs.at("temp"), Not(HasSubstr("small.bin")));
  EXPECT_EQ(outcome.outputs.at("backups"), "nothing would be touched");
  EXPECT_EQ(outcome.figures.count("bytes_reclaimed"), 0u);
}

TEST_F(DiskCleanup, GzipModeCompressesOldLogsInPlaceKeepingTheirTime) {
  fs::path log = log_text("log/app.log.1", 3 * kMiB, kOld);
  std::string original = testing::read_file(log);
  auto original_mtime = fs::last_write_time(log);
  file("log/app.log.2.gz", 1 * kMiB, kOld);
  file("tmp/filler.bin", 9 * kMiB, kYoung);
  configure();
  auto outcome = run(params("\"target_usage\": 70, \"action\": \"gzip\""));
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_FALSE(exists("log/app.log.1"));
  ASSERT_TRUE(exists("log/app.log.1.gz"));
  EXPECT_EQ(fs::last_write_time(root_ / "log/app.log.1.gz"), original_mtime);
  EXPECT_TRUE(exists("log/app.log.2.gz"));
  EXPECT_FALSE(exists("log/app.log.2.gz.gz"));

  gzFile gz = gzopen((root_ / "log/app.log.1.gz").c_str(), "rb");
  ASSERT_NE(gz, nullptr);
  std::string restored(original.size() + 1, '\0');
  int got = gzread(gz, restored.data(), static_cast<unsigned>(restored.size()));
  gzclose(gz);
  restored.resize(static_cast<size_t>(std::max(got, 0)));
  EXPECT_EQ(restored, original);

  EXPECT_EQ(outcome.figures.at("files_compressed"), 1);
  EXPECT_EQ(outcome.figures.at("files_removed"), 0);
  EXPECT_GT(outcome.figures.at("bytes_reclaimed_logs"), 2.5 * kMiB);
  EXPECT_THAT(outcome.summary, HasSubstr("compressed 1 file"));
}

TEST_F(DiskCleanup, GzipModeNeverCompressesWhatIsAlreadyCompressed) {
  file("log/app.log.2.gz", 1 * kMiB, kOld);
  // Named like a plain log, but gzip inside.
  fs::path disguised = root_ / "log/rotated.log.3";
  {
    gzFile gz = gzopen(disguised.c_str(), "wb");
    std::string noise(kMiB, '\0');
    for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 2654435761u) >> 13);
    gzwrite(gz, noise.data(), static_cast<unsigned>(noise.size()));
    gzclose(gz);
  }
  age_file(disguised, kOld);
  file("tmp/filler.bin", 12 * kMiB, kYoung);
  configure();
  auto outcome = run(params("\"target_usage\": 50, \"action\": \"gzip\""));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_TRUE(exists("log/app.log.2.gz"));
  EXPECT_FALSE(exists("log/app.log.2.gz.gz"));
  EXPECT_TRUE(exists("log/rotated.log.3"));
  EXPECT_FALSE(exists("log/rotated.log.3.gz"));
  EXPECT_THAT(outcome.outputs.at("left_alone"),
              HasSubstr("1 log already compressed (gzip mode keeps those)"));
  EXPECT_THAT(outcome.outputs.at("failed"),
              HasSubstr("rotated.log.3: its content is already compressed"));
}

TEST_F(DiskCleanup, ADryRunInGzipModeSaysItWouldCompress) {
  log_text("log/app.log.1", 3 * kMiB, kOld);
  file("tmp/filler.bin", 9 * kMiB, kYoung);
  configure();
  auto outcome = run(params("\"target_usage\": 70, \"action\": \"gzip\""), /*dry_run=*/true);
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(exists("log/app.log.1"));
  EXPECT_FALSE(exists("log/app.log.1.gz"));
  EXPECT_THAT(outcome.summary, HasSubstr("dry run: would compress 1 file, about 2.7 MiB;"));
  EXPECT_THAT(outcome.outputs.at("logs"), HasSubstr("would compress 1 file"));
}

TEST_F(DiskCleanup, GzipOnAFullDiskLeavesTheLogAsItWas) {
  fs::path log = log_text("log/app.log.1", 3 * kMiB, kOld);
  std::string original = testing::read_file(log);
  {
    int filler = open((root_ / "filler").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(filler, 0);
    std::string chunk(64 * 1024, 'f');
    while (write(filler, chunk.data(), chunk.size()) > 0) {
    }
    close(filler);
  }
  configure();
  auto outcome = run(params("\"target_usage\": 90, \"action\": \"gzip\""));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(testing::read_file(log), original);
  EXPECT_FALSE(exists("log/app.log.1.gz"));
  for (const auto& entry : fs::directory_iterator(root_ / "log")) {
    EXPECT_EQ(entry.path().filename(), "app.log.1") << "left behind: " << entry.path();
  }
  EXPECT_THAT(outcome.outputs.at("failed"),
              HasSubstr("app.log.1: no space left to write the .gz (action=delete needs none)"));
}

TEST_F(DiskCleanup, GzipIsRefusedWhereTheOperatorForbidsIt) {
  standard_layout();
  configure("gzip = false");
  auto outcome = run(params("\"target_usage\": 70, \"action\": \"gzip\""));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("action=gzip is not allowed on this node"));
  EXPECT_THAT(outcome.error, HasSubstr("gzip = false"));
  EXPECT_TRUE(exists("log/app.log.1"));
}

TEST_F(DiskCleanup, RefusesWhenNoRootsAreConfigured) {
  standard_layout();
  auto outcome = run(params("\"target_usage\": 10"));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error,
            "diagnose failed: no directories are configured for cleaning on this node: set "
            "[plugin.disk-cleanup] logs = [\"/var/log\"], temp = [\"/tmp\", \"/var/tmp\"] "
            "and/or backups = [\"/var/backups\"] in agent.toml");
  EXPECT_TRUE(exists("log/app.log.1"));
  EXPECT_TRUE(exists("tmp/big.bin"));
}

TEST_F(DiskCleanup, RefusesACategoryTheNodeHasNoRootsFor) {
  standard_layout();
  ASSERT_TRUE(plugin_->set_settings("logs = [\"" + (root_ / "log").string() + "\"]"));
  auto outcome = run(params("\"target_usage\": 10, \"categories\": [\"backups\"]"));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("set [plugin.disk-cleanup] backups = [\"/var/backups\"]"));
  EXPECT_TRUE(exists("backups/db.dump"));
}

TEST_F(DiskCleanup, CleansOnlyTheCategoriesAsked) {
  standard_layout();
  configure();
  auto outcome = run(params("\"target_usage\": 55, \"categories\": [\"backups\", \"temp\"]"));
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_TRUE(exists("log/app.log.1"));
  EXPECT_TRUE(exists("log/app.log.2.gz"));
  // temp before backups, whatever order the task listed them in
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_temp"), 3 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_backups"), 2 * kMiB);
  EXPECT_EQ(outcome.outputs.count("logs"), 0u);
}

TEST_F(DiskCleanup, BadParamsAreRejectedBeforeAnythingRuns) {
  standard_layout();
  configure();
  struct Case {
    std::string params;
    std::string names;
  };
  for (const Case& bad :
       {Case{params("\"target_usage\": 150"), "target_usage"},
        Case{params("\"target_usage\": 0"), "target_usage"},
        Case{params("\"target_usage\": \"most\""), "target_usage"},
        Case{params("\"categories\": [\"logs\", \"cache\"]"), "categories"},
        Case{params("\"action\": \"shred\""), "action"},
        Case{params("\"max_age\": \"a while\""), "max_age"},
        Case{params("\"min_size\": \"big\""), "min_size"}, Case{R"({"path": "var/log"})", "path"},
        Case{params("\"roots\": [\"/\"]"), "roots"}}) {
    auto outcome = plugin_->run(bad.params);
    ASSERT_FALSE(outcome) << bad.params;
    EXPECT_THAT(outcome.error().message, HasSubstr(bad.names)) << bad.params;
  }
  EXPECT_TRUE(exists("log/app.log.1"));
}

TEST_F(DiskCleanup, BadSettingsGiveAClearError) {
  standard_layout();
  struct Case {
    std::string settings;
    std::string says;
  };
  for (const Case& bad :
       {Case{"logs = [\"var/log\"]", "setting 'logs': 'var/log' is not an absolute path"},
        Case{"temp = [\"/\"]", "setting 'temp': '/' would let disk-cleanup touch any file"},
        Case{"temp = [\"/tmp/../etc\"]", "contains '..'"},
        Case{roots() + "min_age = \"soon\"", "setting 'min_age' must be a duration"},
        Case{roots() + "max_files = 0", "setting 'max_files' must be at least 1"},
        Case{roots() + "max_files = \"many\"", "setting 'max_files' must be a whole number"},
        Case{roots() + "logs_patterns = []", "setting 'logs_patterns' is empty"}}) {
    ASSERT_TRUE(plugin_->set_settings(bad.settings)) << bad.settings;
    auto outcome = run(params("\"target_usage\": 10"));
    EXPECT_FALSE(outcome.succeeded) << bad.settings;
    EXPECT_THAT(outcome.error, HasSubstr(bad.says)) << bad.settings;
  }
  EXPECT_TRUE(exists("log/app.log.1"));
  EXPECT_TRUE(exists("tmp/big.bin"));
}

TEST_F(DiskCleanup, AMaxAgeBelowTheNodesFloorIsRefused) {
  file("tmp/two-hours.bin", 12 * kMiB, 2 * kHour);
  configure();
  auto refused = run(params("\"target_usage\": 50, \"max_age\": \"30m\""));
  EXPECT_FALSE(refused.succeeded);
  EXPECT_THAT(refused.error, HasSubstr("max_age=30m is younger than this node allows for logs "
                                       "(1h, [plugin.disk-cleanup] min_age in agent.toml)"));
  EXPECT_TRUE(exists("tmp/two-hours.bin"));

  auto allowed = run(params("\"target_usage\": 50, \"max_age\": \"1h\""));
  EXPECT_TRUE(allowed.succeeded) << allowed.error;
  EXPECT_FALSE(exists("tmp/two-hours.bin"));
}

TEST_F(DiskCleanup, AMaxAgePerCategoryOverridesMaxAge) {
  file("log/two-days.log", 4 * kMiB, 2 * kDay);
  file("tmp/two-days.bin", 4 * kMiB, 2 * kDay);
  file("tmp/filler.bin", 6 * kMiB, kYoung);
  configure();
  auto outcome = run(params("\"target_usage\": 10, \"max_age_temp\": \"1d\""));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_TRUE(exists("log/two-days.log"));  // logs keep the 7d default
  EXPECT_FALSE(exists("tmp/two-days.bin"));
}

TEST_F(DiskCleanup, PatternsFromTheSettingsDecideWhichFilesBelongToACategory) {
  file("backups/site.tar.gz", 4 * kMiB, kOld);
  file("backups/notes.txt", 4 * kMiB, kOld);
  file("backups/custom.snap", 4 * kMiB, kOld);
  ASSERT_TRUE(plugin_->set_settings("backups = [\"" + (root_ / "backups").string() + "\"]"));
  auto with_defaults = run(params("\"target_usage\": 10"));
  EXPECT_FALSE(exists("backups/site.tar.gz"));
  EXPECT_TRUE(exists("backups/notes.txt"));
  EXPECT_TRUE(exists("backups/custom.snap"));

  ASSERT_TRUE(plugin_->set_settings("backups = [\"" + (root_ / "backups").string() +
                                    "\"]\nbackups_patterns = [\"*.snap\"]"));
  auto with_patterns = run(params("\"target_usage\": 10"));
  EXPECT_FALSE(exists("backups/custom.snap"));
  EXPECT_TRUE(exists("backups/notes.txt"));
}

TEST_F(DiskCleanup, AFileUnderTwoRootsBelongsToTheFirstCategoryItMatches) {
  file("var/log/app.log.1", 2 * kMiB, kOld);
  file("var/log/core.dump", 3 * kMiB, kOld);  // no log pattern matches it
  file("var/scratch.bin", 1 * kMiB, kOld);
  file("filler", 8 * kMiB, kYoung);
  ASSERT_TRUE(plugin_->set_settings("logs = [\"" + (root_ / "var/log").string() +
                                    "\"]\ntemp = [\"" + (root_ / "var").string() + "\"]"));
  auto outcome = run(params("\"target_usage\": 10"));
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_logs"), 2 * kMiB);
  EXPECT_EQ(outcome.figures.at("bytes_reclaimed_temp"), 4 * kMiB);
  EXPECT_EQ(outcome.figures.at("files_removed"), 3);
}

TEST_F(DiskCleanup, LeavesFilesThatAreOpenAlone) {
  standard_layout();
  configure();
  int held = open((root_ / "tmp/big.bin").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(held, 0);
  auto outcome = run(params("\"target_usage\": 10"));
  close(held);
  EXPECT_TRUE(exists("tmp/big.bin"));
  EXPECT_FALSE(exists("tmp/small.bin"));
  EXPECT_THAT(outcome.error, HasSubstr("1 file open by a process, 2.0 MiB"));
}

TEST_F(DiskCleanup, MinSizeLeavesSmallFilesAlone) {
  standard_layout();
  configure();
  auto outcome = run(params("\"target_usage\": 10, \"min_size\": \"1500KiB\""));
  EXPECT_TRUE(exists("log/app.log.2.gz"));
  EXPECT_TRUE(exists("tmp/small.bin"));
  EXPECT_FALSE(exists("tmp/big.bin"));
  EXPECT_THAT(outcome.error, HasSubstr("4 files smaller than min_size, 4.0 MiB"));
}

TEST_F(DiskCleanup, StopsAtTheNodesFileLimit) {
  standard_layout();
  configure("max_files = 1");
  auto outcome = run(params("\"target_usage\": 10"));
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_FALSE(exists("log/app.log.1"));
  EXPECT_TRUE(exists("log/app.log.2.gz"));
  EXPECT_THAT(outcome.error, HasSubstr("stopped at this node's limit of 1 file per run "
                                       "([plugin.disk-cleanup] max_files)"));
}

TEST_F(DiskCleanup, APathThatDoesNotExistFailsClearly) {
  configure();
  auto outcome = run(R"({"path": "/nonexistent/tend-disk"})");
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error,
            "diagnose failed: cannot measure the usage of /nonexistent/tend-disk: No such file or "
            "directory");
}

TEST_F(DiskCleanup, HasNothingToDoBelowTheTarget) {
  standard_layout();
  configure();
  auto outcome = run(params("\"target_usage\": 90"));
  EXPECT_TRUE(outcome.succeeded);
  EXPECT_THAT(outcome.summary, HasSubstr("is already below the 90% target; nothing to clean"));
  EXPECT_TRUE(exists("log/app.log.1"));
}

TEST_F(DiskCleanup, StopsBetweenFilesWhenCancelled) {
  // Many small old files, and an unreachable target: without cancellation
  // every one of them would go.
  constexpr int kFiles = 2000;
  fs::create_directories(root_ / "tmp");
  for (int i = 0; i < kFiles; ++i) file("tmp/f" + std::to_string(i), 1, kOld);
  configure();

  int watch = inotify_init1(IN_CLOEXEC);
  ASSERT_GE(watch, 0);
  ASSERT_GE(inotify_add_watch(watch, (root_ / "tmp").c_str(), IN_DELETE), 0);
  std::thread canceller([&] {
    char event[sizeof(inotify_event) + 256];
    if (read(watch, event, sizeof event) > 0) plugin_->cancel() = true;
  });
  auto outcome = run(params("\"target_usage\": 1"));
  close(watch);  // unblocks the reader should nothing have been deleted
  canceller.join();

  EXPECT_FALSE(outcome.succeeded);
  EXPECT_THAT(outcome.error, HasSubstr("cancelled"));
  int left = 0;
  for (const auto& entry : fs::directory_iterator(root_ / "tmp")) left += entry.exists();
  EXPECT_GT(left, 0);
  EXPECT_LT(left, kFiles);
}

// The hooks one at a time, as the runner calls them, for what the whole
// lifecycle cannot show on its own.
class DiskCleanupHooks : public DiskCleanup {
 protected:
  tend_outcome call(tend_hook hook, const char* name, const std::string& params_json,
                    std::string& error, bool cancelled = false) {
    google::protobuf::Struct params;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(params_json, &params).ok());
    auto validated = validate_params(plugin_->plugin(), params);
    EXPECT_TRUE(validated) << validated.error().message;
    auto toml = toml::parse("[plugin.disk-cleanup]\n" + roots());
    auto settings = read_plugin_settings(toml, "agent.toml");
    std::atomic<bool> cancel{cancelled};
    PluginCall hook_call("disk-cleanup", *validated, (*settings)["disk-cleanup"], false, cancel);
    tend_outcome outcome = hook_call.run(hook, name);
    error = hook_call.take_error();
    return outcome;
  }
};

TEST_F(DiskCleanupHooks, VerifyReadsTheUsageAgain) {
  standard_layout();
  std::string error;
  EXPECT_EQ(call(plugin_->plugin().on_verify, "verify", params("\"target_usage\": 50"), error),
            TEND_OUTCOME_FAILED);
  EXPECT_THAT(error, HasSubstr("usage is 81.2%, not below the 50% target"));

  fs::remove(root_ / "outside/keep.bin");
  fs::remove(root_ / "backups/db.dump");
  fs::remove(root_ / "log/app.log.1");
  EXPECT_EQ(call(plugin_->plugin().on_verify, "verify", params("\"target_usage\": 50"), error),
            TEND_OUTCOME_OK)
      << error;
}

TEST_F(DiskCleanupHooks, RemediateCancelledBeforeTheFirstFileChangesNothing) {
  standard_layout();
  std::string error;
  EXPECT_EQ(call(plugin_->plugin().on_remediate, "remediate", params("\"target_usage\": 10"), error,
                 /*cancelled=*/true),
            TEND_OUTCOME_FAILED);
  EXPECT_THAT(error, HasSubstr("cancelled: "));
  EXPECT_THAT(error, HasSubstr("after reclaiming 0 B from 0 files"));
  EXPECT_TRUE(exists("log/app.log.1"));
  EXPECT_TRUE(exists("tmp/big.bin"));
}

TEST_F(DiskCleanupHooks, RemediateCancelledWhileScanningChangesNothing) {
  for (int i = 0; i < 600; ++i) file("tmp/f" + std::to_string(i), 1, kOld);
  file("log/filler.log", 12 * kMiB, kYoung);
  std::string error;
  EXPECT_EQ(call(plugin_->plugin().on_remediate, "remediate", params("\"target_usage\": 10"), error,
                 /*cancelled=*/true),
            TEND_OUTCOME_FAILED);
  EXPECT_EQ(error, "cancelled while looking for files; nothing was changed");
  EXPECT_TRUE(exists("tmp/f0"));
  EXPECT_TRUE(exists("tmp/f599"));
}

}  // namespace
}  // namespace tend
