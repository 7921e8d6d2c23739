// The floor of bounds under every config file: no string, list, table or key
// past its bound, wherever it is; the refusal names file, line, key and limit.
#include "core/common/toml_bounds.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "core/common/nats_config.h"

namespace tend {
namespace {

constexpr TomlBounds kSmall{.max_string_bytes = 8, .max_items = 3, .max_key_bytes = 5};

std::string verdict(const std::string& text) {
  auto ok = check_toml_bounds(toml::parse(text), "x.toml", kSmall);
  return ok ? std::string("(within)") : ok.error().message;
}

TEST(TomlBounds, StringsAnywhere) {
  EXPECT_EQ(verdict("[a]\nb = \"12345678\""), "(within)");
  EXPECT_EQ(verdict("[a]\nb = \"123456789\""), "x.toml:2: a.b is 9 bytes; the limit is 8");
  EXPECT_EQ(verdict("[[route]]\nx = 1\n[[route]]\np = { cmd = \"123456789\" }"),
            "x.toml:4: route[1].p.cmd is 9 bytes; the limit is 8");
  EXPECT_EQ(verdict("l = [\"ok\", \"123456789\"]"), "x.toml:1: l[1] is 9 bytes; the limit is 8");
}

TEST(TomlBounds, ListsAndTables) {
  EXPECT_EQ(verdict("l = [1, 2, 3]"), "(within)");
  EXPECT_EQ(verdict("l = [1, 2, 3, 4]"), "x.toml:1: l has 4 items; the limit is 3");
  EXPECT_EQ(verdict("[t]\na = 1\nb = 2\nc = 3\nd = 4"), "x.toml:1: t has 4 items; the limit is 3");
  EXPECT_EQ(verdict("a = 1\nb = 2\nc = 3\nd = 4"),
            "x.toml:1: the file has 4 items; the limit is 3");
}

TEST(TomlBounds, Keys) {
  EXPECT_EQ(verdict("abcde = 1"), "(within)");
  EXPECT_EQ(verdict("[t]\nabcdef = 1"), "x.toml:2: a key in t is 6 bytes; the limit is 5");
}

TEST(TomlBounds, AFileTooLargeIsRefusedUnread) {
  const std::string path = ::testing::TempDir() + "huge.toml";
  {
    std::ofstream out(path);
    out << "# " << std::string(kMaxConfigFileBytes, 'x') << "\n";
  }
  auto parsed = parse_toml_file(path);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, path + " is 4194307 bytes; the limit is 4194304");
  {
    std::ofstream out(path);
    out << "# " << std::string(kMaxConfigFileBytes - 3, 'x') << "\n";
  }
  EXPECT_TRUE(parse_toml_file(path)) << "exactly the limit is read";
  std::remove(path.c_str());
}

}  // namespace
}  // namespace tend
