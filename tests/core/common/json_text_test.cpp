// JSON text for the store and the audit trail: bytes from outside that are
// not UTF-8 cost a character, never the entry.
#include "core/common/json_text.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

TEST(JsonText, IsCompactWithKeysInOrder) {
  EXPECT_EQ(json_text({{"b", 1}, {"a", "x"}}), R"({"a":"x","b":1})");
}

TEST(JsonText, BytesThatAreNotUtf8BecomeTheReplacementCharacter) {
  const std::string bad = "disk \xff\xfe full";
  EXPECT_THROW((void)nlohmann::json(bad).dump(), nlohmann::json::type_error)
      << "the plain dump this replaces";
  EXPECT_EQ(json_text({{"summary", bad}}), "{\"summary\":\"disk \xEF\xBF\xBD\xEF\xBF\xBD full\"}");
}

}  // namespace
}  // namespace tend
