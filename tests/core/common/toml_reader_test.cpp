// One way to read every config file: typed values whose refusals name file,
// line, table and key, and a key tend does not know refused, first in file
// order, with the keys it does know.
#include "core/common/toml_reader.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

using namespace std::chrono_literals;

const std::string kPath = "x.toml";

toml::table parse(std::string_view text) { return toml::parse(text, std::string_view(kPath)); }

template <typename T>
std::string verdict(const Expected<T>& read) {
  return read ? std::string("(read)") : read.error().message;
}

const std::vector<TomlSection> kSections{
    {"tasks", {"grace_s", "ack_timeout_ms"}},
    {"route", {}, TomlSection::Form::kTables},
    {"plugin", {}, TomlSection::Form::kOpen},
};

std::string entries(std::string_view text) {
  return verdict(refuse_unknown_entries(parse(text), kSections, kPath));
}

TEST(TomlKeys, AKnownFileIsTaken) {
  EXPECT_EQ(entries("[tasks]\ngrace_s = 1\n[[route]]\nanything = 1\n[plugin.x]\nmine = 2\n"),
            "(read)");
  EXPECT_EQ(entries(""), "(read)");
}

TEST(TomlKeys, AnUnknownKeyIsRefusedWithWhatIsKnown) {
  EXPECT_EQ(entries("[tasks]\ngrace_s = 1\ntimeout_s = 10\n"),
            "x.toml:3: unknown key 'timeout_s' in [tasks] (known: grace_s, ack_timeout_ms)");
}

TEST(TomlKeys, AnUnknownSectionIsRefused) {
  EXPECT_EQ(entries("[tasks]\n[metric]\ntextfile_dir = \"/x\"\n"),
            "x.toml:2: unknown section '[metric]' (known: [tasks], [[route]], [plugin])");
  EXPECT_EQ(entries("name = \"x\"\n"),
            "x.toml:1: unknown key 'name' outside any section (known: [tasks], [[route]], "
            "[plugin])");
  EXPECT_EQ(entries("tasks = 3\n"), "x.toml:1: tasks must be a section, [tasks]");
}

TEST(TomlKeys, TheFirstInFileOrderIsTheOneRefused) {
  // toml++ sorts keys: 'zz' comes first in the file, last in the table.
  EXPECT_EQ(entries("[tasks]\nzz = 1\naa = 2\n"),
            "x.toml:2: unknown key 'zz' in [tasks] (known: grace_s, ack_timeout_ms)");
  EXPECT_EQ(entries("[zz]\n[tasks]\naa = 2\n"),
            "x.toml:1: unknown section '[zz]' (known: [tasks], [[route]], [plugin])");
  EXPECT_EQ(entries("[tasks]\naa = 2\n[zz]\n"),
            "x.toml:2: unknown key 'aa' in [tasks] (known: grace_s, ack_timeout_ms)");
}

TEST(TomlKeys, OneTableIsCheckedByItsReader) {
  const std::vector<std::string_view> known{"kind", "url"};
  auto table = parse("[[n]]\nkind = \"slack\"\nurll = 1\n");
  const auto& notifier = *table["n"].as_array()->get(0)->as_table();
  EXPECT_EQ(verdict(refuse_unknown_keys(notifier, "[[n]] #1", known, kPath)),
            "x.toml:3: unknown key 'urll' in [[n]] #1 (known: kind, url)");
}

TEST(TomlKeys, AHugeKeyIsShownShortened) {
  const std::string key(1000, 'k');
  EXPECT_EQ(entries("[tasks]\n" + key + " = 1\n"),
            "x.toml:2: unknown key '" + std::string(64, 'k') +
                "...' in [tasks] (known: grace_s, ack_timeout_ms)");
}

TEST(TomlReader, AbsentKeysKeepTheirFallbacks) {
  auto doc = parse("");
  auto r = TomlReader::section(doc, "limits", kPath);
  EXPECT_EQ(*r.text("a", "dflt"), "dflt");
  EXPECT_EQ(*r.whole("a", 7, 0, 10), 7);
  EXPECT_EQ(*r.duration("a", 5s, 0s, 10s), 5s);
  EXPECT_TRUE(r.strings("a")->empty());
  EXPECT_TRUE(r.refuse_unknown(std::vector<std::string_view>{}));
}

TEST(TomlReader, RefusalsNameFileLineTableAndKey) {
  auto doc = parse(
      "[limits]\nn = \"x\"\nbig = 11\nd = 5\nbad = \"soon\"\ns = \"1KiB\"\nf = 1\nl = [1]\n"
      "r = 1.5\nt = 2\n");
  auto r = TomlReader::section(doc, "limits", kPath);
  EXPECT_EQ(verdict(r.whole("n", 0, 0, 10)), "x.toml:2: [limits] n must be a whole number");
  EXPECT_EQ(verdict(r.whole("big", 0, 0, 10)),
            "x.toml:3: [limits] big 11 is out of range: use 0 to 10");
  EXPECT_EQ(verdict(r.duration("d", 0s, 0s, 10s)),
            "x.toml:4: [limits] d must be a duration string such as \"90s\", \"5m\", \"1h\"");
  EXPECT_EQ(verdict(r.seconds("d", 0, 0, 10)), "(read)");
  EXPECT_EQ(verdict(r.seconds("d", 0, 0, 4)),
            "x.toml:4: [limits] d 5 is out of range: use 0 to 4 s");
  EXPECT_EQ(verdict(r.seconds("bad", 0, 0, 10)).rfind("x.toml:5: [limits] bad: ", 0), 0u);
  EXPECT_EQ(verdict(r.bytes("s", 0, 0, 1000)),
            "x.toml:6: [limits] s 1024 is out of range: use 0 to 1000 bytes");
  EXPECT_EQ(verdict(r.text("f", "")), "x.toml:7: [limits] f must be a string");
  EXPECT_EQ(verdict(r.flag("f", false)), "x.toml:7: [limits] f must be true or false");
  EXPECT_EQ(verdict(r.strings("l")), "x.toml:8: [limits] l must be a list of strings");
  EXPECT_EQ(verdict(r.share("r", 0, 0, 1)), "x.toml:9: [limits] r must be a number from 0 to 1");
  EXPECT_EQ(*r.share("t", 0, 0, 2), 2.0) << "a whole number is a share too";
}

TEST(TomlReader, BoundedTextAndListsNameTheKeyAndTheLimit) {
  auto doc = parse("[log]\nlevel = \"verbose\"\nservers = [\"a\", \"bbb\"]\n");
  auto r = TomlReader::section(doc, "log", kPath);
  EXPECT_EQ(*r.text("level", "", 7), "verbose");
  EXPECT_EQ(verdict(r.text("level", "", 6)), "x.toml:2: [log] level is 7 bytes; the limit is 6");
  EXPECT_EQ(r.strings("servers", 2, 3)->size(), 2u);
  EXPECT_EQ(verdict(r.strings("servers", 1, 3)),
            "x.toml:3: [log] servers has 2 items; the limit is 1");
  EXPECT_EQ(verdict(r.strings("servers", 2, 2)),
            "x.toml:3: [log] servers item 2 is 3 bytes; the limit is 2");
  EXPECT_EQ(*r.text("absent", "dflt", 1), "dflt") << "a fallback is not checked";
}

TEST(TomlReader, ANestedTableNamesItsKeysDotted) {
  auto doc = parse("[[schedule]]\nrollout = { canary = -1, cnary = 2 }\n");
  const auto& table = *doc["schedule"].as_array()->get(0)->as_table();
  TomlReader r(&table, "[[schedule]] 'x'", kPath);
  auto rollout = r.nested("rollout");
  EXPECT_EQ(verdict(rollout.whole("canary", 0, 0, 9)),
            "x.toml:2: [[schedule]] 'x' rollout.canary -1 is out of range: use 0 to 9");
  const std::vector<std::string_view> known{"canary"};
  EXPECT_EQ(verdict(rollout.refuse_unknown(known)),
            "x.toml:2: unknown key 'cnary' in [[schedule]] 'x' rollout (known: canary)");
  EXPECT_EQ(r.nested("absent").table(), nullptr);
}

}  // namespace
}  // namespace tend
