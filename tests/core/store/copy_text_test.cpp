// COPY text format: what PostgreSQL reads back exactly as written, whatever
// a plugin put in its output.
#include "core/store/copy_text.h"

#include <gtest/gtest.h>

#include <vector>

namespace tend::store {
namespace {

TEST(CopyRows, SeparatesFieldsWithTabsAndRowsWithNewlines) {
  CopyRows rows;
  rows.text("a").integer(42).boolean(true).null().end_row();
  rows.text("b").integer(-1).boolean(false).real(1.5).end_row();
  EXPECT_EQ(rows.data(), "a\t42\tt\t\\N\nb\t-1\tf\t1.5\n");
  EXPECT_EQ(rows.rows(), 2u);
}

TEST(CopyRows, EscapesWhatCopyWouldReadAsStructure) {
  CopyRows rows;
  rows.text("tab\there\nnewline\\backslash\rcr").end_row();
  EXPECT_EQ(rows.data(), "tab\\there\\nnewline\\\\backslash\\rcr\n");
}

TEST(CopyRows, DropsNulBytesAndReplacesInvalidUtf8) {
  CopyRows rows;
  rows.text(std::string("ok\0ay", 5)).text("caf\xc3\xa9 \xff\xfe end").end_row();
  EXPECT_EQ(rows.data(), "okay\tcaf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end\n");
}

TEST(CopyRows, WritesTextArraysQuoted) {
  CopyRows rows;
  rows.text_array(std::vector<std::string>{"web-01", "a\"b", "c\\d"}).end_row();
  EXPECT_EQ(rows.data(), "{\"web-01\",\"a\\\\\"b\",\"c\\\\\\\\d\"}\n");
}

TEST(CopyRows, WritesByteaAsHex) {
  CopyRows rows;
  rows.bytes(std::string("\x00\x01\xff", 3)).end_row();
  EXPECT_EQ(rows.data(), "\\\\x0001ff\n");
}

TEST(TimestampText, IsUtcWithMicroseconds) {
  EXPECT_EQ(timestamp_text(0), "1970-01-01 00:00:00.000000+00");
  EXPECT_EQ(timestamp_text(1'795'000'000'123'456), "2026-11-18 11:06:40.123456+00");
}

}  // namespace
}  // namespace tend::store
