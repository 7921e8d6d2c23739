// disk-cleanup against a real filesystem: each test mounts a 16 MiB tmpfs,
// fills it with files of known sizes and ages, points the plugin's roots
// inside it, and checks what is left afterwards — through the real .so,
// loaded as the runner loads it.
#include "tests/plugins/disk-cleanup/disk_cleanup_fixture.h"

namespace tend {
namespace {

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

}  // namespace
}  // namespace tend
