// Plugin text is kept within bounds and made valid UTF-8, so a result can
// always be stored and sent.
#include "bus/bounded_text.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

TEST(BoundedText, ShortValidTextIsUnchanged) {
  EXPECT_EQ(bounded_text("disk 93% full", 100), "disk 93% full");
  EXPECT_EQ(bounded_text("größe: 5 GiB ✓", 100), "größe: 5 GiB ✓");
  EXPECT_EQ(bounded_text("exactly", 7), "exactly");
}

TEST(BoundedText, LongTextIsCutAndSaysSo) {
  EXPECT_EQ(bounded_text("abcdefghijklmnop", 12), "abcdef [cut]");
  EXPECT_EQ(bounded_text("abcdefghijklmnop", 3), " [c");
}

TEST(BoundedText, NeverCutsInsideACharacter) {
  std::string cut = bounded_text("ääääääää", 11);  // 2 bytes each; room for 5 before " [cut]"
  EXPECT_EQ(cut, "ää [cut]");
  EXPECT_LE(cut.size(), 11u);
}

TEST(BoundedText, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(bounded_text("a\xff"
                         "b",
                         100),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(bounded_text("\xC3", 100), "\xEF\xBF\xBD") << "a sequence cut short";
  EXPECT_EQ(bounded_text("\xED\xA0\x80", 100), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")
      << "a surrogate is not UTF-8";
  EXPECT_EQ(bounded_text("\xC0\xAF", 100), "\xEF\xBF\xBD\xEF\xBF\xBD") << "nor an overlong form";
}

}  // namespace
}  // namespace tend
