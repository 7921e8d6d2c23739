#include "core/common/textfile_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "tests/support/temp_dir.h"

namespace tend {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::read_file;
using testing::TempDir;

std::vector<std::string> files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(TextfileWriter, WritesNameDotPromAndLeavesNoTemporaryFile) {
  TempDir dir;
  TextfileWriter writer(dir.path(), "tend_agent");
  EXPECT_EQ(writer.path(), dir.path() / "tend_agent.prom");

  ASSERT_TRUE(writer.write("tend_agent_up 1\n"));
  EXPECT_EQ(read_file(dir.path() / "tend_agent.prom"), "tend_agent_up 1\n");
  EXPECT_THAT(files_in(dir.path()), ElementsAre("tend_agent.prom"));
}

TEST(TextfileWriter, AShorterTextReplacesTheWholeFile) {
  TempDir dir;
  TextfileWriter writer(dir.path(), "tend_agent");
  ASSERT_TRUE(writer.write(std::string(10000, 'x') + "\n"));
  ASSERT_TRUE(writer.write("short\n"));
  EXPECT_EQ(read_file(writer.path()), "short\n");
}

TEST(TextfileWriter, TheFileIsReadableByNodeExporterWhateverTheUmask) {
  TempDir dir;
  TextfileWriter writer(dir.path(), "tend_agent");
  mode_t previous = umask(077);
  auto ok = writer.write("x 1\n");
  umask(previous);
  ASSERT_TRUE(ok) << ok.error().message;
  struct stat st {};
  ASSERT_EQ(stat(writer.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

// node_exporter may read at any moment: it must see the old text or the new
// one, never a mixture or a truncated file.
TEST(TextfileWriter, AReaderAlwaysSeesOneWholeVersion) {
  TempDir dir;
  TextfileWriter writer(dir.path(), "tend_agent");
  const std::string a(200000, 'a'), b(300000, 'b');
  ASSERT_TRUE(writer.write(a));

  std::atomic<bool> done{false};
  std::atomic<int> torn{0}, reads{0};
  std::thread reader([&] {
    while (!done) {
      std::string seen = read_file(writer.path());
      if (seen != a && seen != b) ++torn;
      ++reads;
    }
  });
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(writer.write(i % 2 ? a : b));
  done = true;
  reader.join();

  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(torn.load(), 0);
  EXPECT_THAT(files_in(dir.path()), ElementsAre("tend_agent.prom"));
}

TEST(TextfileWriter, AMissingDirectoryIsAnErrorThatNamesTheFile) {
  TempDir dir;
  TextfileWriter writer(dir.path() / "no-such-dir", "tend_agent");
  auto ok = writer.write("x 1\n");
  ASSERT_FALSE(ok);
  EXPECT_THAT(ok.error().message,
              AllOf(HasSubstr("cannot write metrics file"),
                    HasSubstr((dir.path() / "no-such-dir" / "tend_agent.prom").string()),
                    HasSubstr("No such file or directory")));
}

TEST(TextfileWriter, AFailedRenameLeavesNoTemporaryFileBehind) {
  TempDir dir;
  // A directory where the file should go: rename(2) refuses to replace it.
  std::filesystem::create_directory(dir.path() / "tend_agent.prom");
  TextfileWriter writer(dir.path(), "tend_agent");
  auto ok = writer.write("x 1\n");
  ASSERT_FALSE(ok);
  EXPECT_THAT(ok.error().message, HasSubstr("rename"));
  EXPECT_THAT(files_in(dir.path()), ElementsAre("tend_agent.prom"));
}

}  // namespace
}  // namespace tend
