// Pages only start-up touched are given back, and the program runs on as
// before: what it uses again comes back from the page cache.
#include "core/common/startup_pages.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tend {
namespace {

long status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

TEST(StartupPages, FilePagesAreGivenBackAndTheProgramRunsOn) {
  const long file_before = status_kib("RssFile");
  const long anon_before = status_kib("RssAnon");
  EXPECT_GT(release_startup_pages(), 0u);
  EXPECT_LT(status_kib("RssFile"), file_before);
  EXPECT_GE(status_kib("RssAnon"), anon_before) << "no private page was dropped";

  // Code, read-only data, vtables and unwind tables all come back.
  std::ostringstream text;
  text << "answer " << 42 << ' ' << 2.5;
  EXPECT_EQ(text.str(), "answer 42 2.5");
  EXPECT_THROW(throw std::runtime_error("unwound"), std::runtime_error);
}

TEST(StartupPages, DataWrittenSinceStartKeepsItsValue) {
  static int counter = 41;  // a writable, private page of this program
  ++counter;
  release_startup_pages();
  EXPECT_EQ(counter, 42);
}

}  // namespace
}  // namespace tend
