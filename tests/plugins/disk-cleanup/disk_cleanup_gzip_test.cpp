// disk-cleanup's gzip mode, and its hooks one at a time, against a real
// filesystem (disk_cleanup_fixture.h).
#include "tests/plugins/disk-cleanup/disk_cleanup_fixture.h"

namespace tend {
namespace {

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
