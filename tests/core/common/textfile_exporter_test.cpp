#include "core/common/textfile_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <sstream>

#include "tests/support/eventually.h"
#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::read_file;
using testing::TempDir;

constexpr TextfileTiming kQuick{.check = 10ms, .refresh = 1h};

size_t count_of(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

// What the program would render: changed by the test, read by the exporter.
class Text {
 public:
  explicit Text(std::string text) : text_(std::move(text)) {}
  void set(std::string text) {
    std::lock_guard lock(mu_);
    text_ = std::move(text);
  }
  TextfileExporter::Render render() {
    return [this] {
      ++renders;
      std::lock_guard lock(mu_);
      return text_;
    };
  }
  std::atomic<int> renders{0};

 private:
  std::mutex mu_;
  std::string text_;
};

// Everything logged while it lives; read it once the exporter is gone.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream out_;
};

TEST(TextfileExporter, WritesAtOnceAndAgainWhenTheTextChanges) {
  TempDir dir;
  Text text("a 1\n");
  auto exporter = TextfileExporter::start(dir.path().string(), "tend_agent", text.render(), kQuick);
  ASSERT_NE(exporter, nullptr);
  EXPECT_EQ(exporter->path(), dir.path() / "tend_agent.prom");
  auto file = exporter->path();

  EXPECT_TRUE(eventually([&] { return read_file(file) == "a 1\n"; }));
  text.set("a 2\n");
  EXPECT_TRUE(eventually([&] { return read_file(file) == "a 2\n"; })) << read_file(file);
}

TEST(TextfileExporter, AnUnchangedTextIsNotRewrittenBeforeTheRefreshInterval) {
  TempDir dir;
  Text text("a 1\n");
  auto exporter = TextfileExporter::start(dir.path().string(), "tend_agent", text.render(), kQuick);
  auto file = dir.path() / "tend_agent.prom";
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(file); }));
  auto first_write = std::filesystem::last_write_time(file);
  int renders = text.renders;

  ASSERT_TRUE(eventually([&] { return text.renders >= renders + 5; }));
  EXPECT_EQ(std::filesystem::last_write_time(file), first_write);
}

TEST(TextfileExporter, AnUnchangedTextIsRewrittenEveryRefreshSoItsAgeShowsTheWriterLives) {
  TempDir dir;
  Text text("a 1\n");
  auto exporter = TextfileExporter::start(dir.path().string(), "tend_agent", text.render(),
                                          {.check = 10ms, .refresh = 50ms});
  auto file = dir.path() / "tend_agent.prom";
  ASSERT_TRUE(eventually([&] { return std::filesystem::exists(file); }));
  auto first_write = std::filesystem::last_write_time(file);

  EXPECT_TRUE(eventually([&] { return std::filesystem::last_write_time(file) != first_write; }));
}

TEST(TextfileExporter, WritesALastTimeWhenItStops) {
  TempDir dir;
  Text text("up 1\n");
  auto exporter = TextfileExporter::start(dir.path().string(), "tend_agent", text.render(),
                                          {.check = 1h, .refresh = 1h});
  auto file = dir.path() / "tend_agent.prom";
  ASSERT_TRUE(eventually([&] { return read_file(file) == "up 1\n"; }));

  text.set("up 0\n");
  exporter.reset();
  EXPECT_EQ(read_file(file), "up 0\n");
}

TEST(TextfileExporter, NoDirectoryMeansMetricsOffSilently) {
  CapturedLog log;
  Text text("a 1\n");
  EXPECT_EQ(TextfileExporter::start("", "tend_agent", text.render()), nullptr);
  EXPECT_EQ(text.renders, 0);
  EXPECT_THAT(log.text(), Not(HasSubstr("metrics")));
}

TEST(TextfileExporter, AMissingDirectoryMeansMetricsOffWithOneWarning) {
  TempDir dir;
  CapturedLog log;
  Text text("a 1\n");
  auto missing = (dir.path() / "node-exporter").string();
  EXPECT_EQ(TextfileExporter::start(missing, "tend_agent", text.render()), nullptr);
  EXPECT_EQ(count_of(log.text(), "metrics off: textfile directory " + missing + " does not exist"),
            1u)
      << log.text();
}

TEST(TextfileExporter, ADirectoryThatGoesAwayIsSaidOnceAndWrittenAgainWhenItIsBack) {
  TempDir dir;
  auto textfiles = dir.path() / "node-exporter";
  std::filesystem::create_directory(textfiles);
  auto file = textfiles / "tend_agent.prom";
  Text text("a 1\n");
  std::string said;
  {
    CapturedLog log;
    auto exporter =
        TextfileExporter::start(textfiles.string(), "tend_agent", text.render(), kQuick);
    ASSERT_TRUE(eventually([&] { return std::filesystem::exists(file); }));

    std::filesystem::remove_all(textfiles);
    text.set("a 2\n");  // to be written, and tried again until it is
    int renders = text.renders;
    ASSERT_TRUE(eventually([&] { return text.renders >= renders + 10; }));  // ten failed writes
    std::filesystem::create_directory(textfiles);
    EXPECT_TRUE(eventually([&] { return read_file(file) == "a 2\n"; }));
    exporter.reset();
    said = log.text();
  }
  EXPECT_EQ(count_of(said, "cannot write metrics file " + file.string()), 1u) << said;
  EXPECT_EQ(count_of(said, file.string() + " written again"), 1u) << said;
}

}  // namespace
}  // namespace tend
