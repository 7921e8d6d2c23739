// The store queries' requests are checked before any SQL runs: a mistake is
// answered with what to type instead, and an empty request asks for the
// defaults, in JSON as in protobuf.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/coordinator/queries/audit_query.h"
#include "core/coordinator/queries/history_query.h"
#include "core/coordinator/queries/task_detail_query.h"

namespace tend {
namespace {

using ::testing::HasSubstr;

TEST(HistoryRequest, EmptyAsksForTheNewestFifty) {
  for (auto [data, encoding] : {std::pair{"", Encoding::kJson}, std::pair{"{}", Encoding::kJson},
                                std::pair{"", Encoding::kProtobuf}}) {
    auto query = read_history_request(data, encoding);
    ASSERT_TRUE(query) << query.error().message;
    EXPECT_EQ(query->limit, kHistoryDefaultLimit);
    EXPECT_TRUE(query->host.empty() && query->plugin.empty() && query->status.empty());
    EXPECT_FALSE(query->since);
  }
}

TEST(HistoryRequest, ReadsEveryFilter) {
  auto query = read_history_request(
      R"({"host":"web-01","plugin":"disk-cleanup","status":"failed","since":"24h","limit":7})",
      Encoding::kJson);
  ASSERT_TRUE(query) << query.error().message;
  EXPECT_EQ(query->host, "web-01");
  EXPECT_EQ(query->plugin, "disk-cleanup");
  EXPECT_EQ(query->status, "FAILED") << "any case";
  EXPECT_EQ(query->since, std::chrono::hours(24));
  EXPECT_EQ(query->limit, 7u);
}

TEST(HistoryRequest, MistakesAreNamed) {
  const std::vector<std::pair<std::string, std::string>> mistakes = {
      {R"({"status":"broken"})",
       "unknown status 'broken': use one of SUCCEEDED, FAILED, TIMED_OUT, CRASHED, REJECTED"},
      {R"({"since":"yesterday"})", "since: 'yesterday' is not a duration"},
      {R"({"hots":"web-01"})", "unknown field \"hots\""},
      {R"({"limit":5000})", "limit 5000 is out of range: use 0 to 1000: narrow"},
      {R"({"host":"web.01"})", "host 'web.01'"},
      {R"({"plugin":"a b"})", "plugin 'a b'"},
      {"{not json", "invalid HistoryRequest JSON"},
  };
  for (const auto& [data, words] : mistakes) {
    auto query = read_history_request(data, Encoding::kJson);
    ASSERT_FALSE(query) << data;
    EXPECT_THAT(query.error().message, HasSubstr(words)) << data;
  }
  EXPECT_FALSE(read_history_request("\xff\xff\xff", Encoding::kProtobuf));
}

// Just within each bound a filter is read; just past it, refused naming it.
TEST(HistoryRequest, FiltersHaveBounds) {
  auto read = [](const std::string& json) {
    auto query = read_history_request(json, Encoding::kJson);
    return query ? std::string("(read)") : query.error().message;
  };
  EXPECT_EQ(read(R"({"since":"3650d"})"), "(read)");
  EXPECT_EQ(read(R"({"since":"3651d"})"), "since 315446400 is out of range: use 0 to 315360000 s");
  EXPECT_EQ(read(R"({"since":"15000000000000w"})"),
            "since 9072000000000000000 is out of range: use 0 to 315360000 s")
      << "refused, not clamped to forever";
  EXPECT_EQ(read(R"({"since":")" + std::string(33, '9') + R"("})"),
            "since is 33 bytes; the limit is 32");
  EXPECT_EQ(read(R"({"status":")" + std::string(33, 'x') + R"("})"),
            "status is 33 bytes; the limit is 32");
  EXPECT_EQ(read(R"({"host":")" + std::string(128, 'h') + R"("})"), "(read)");
  EXPECT_EQ(read(R"({"host":")" + std::string(129, 'h') + R"("})"),
            "host is 129 bytes; the limit is 128");
  EXPECT_EQ(read(R"({"plugin":")" + std::string(100000, 'p') + R"("})"),
            "plugin is 100000 bytes; the limit is 128")
      << "the refusal does not echo the value";
  EXPECT_EQ(read(R"({"limit":1000})"), "(read)");
}

TEST(StatusNamed, TakesAnyCaseAndListsTheStatusesOtherwise) {
  EXPECT_EQ(*status_named("timed_out"), "TIMED_OUT");
  EXPECT_EQ(*status_named("REJECTED"), "REJECTED");
  EXPECT_FALSE(status_named("STATUS_UNSPECIFIED"));
  EXPECT_FALSE(status_named(""));
}

TEST(ShowRequest, NeedsAUsableTaskId) {
  EXPECT_EQ(*read_show_request(R"({"task_id":"t-1"})", Encoding::kJson), "t-1");
  auto missing = read_show_request("{}", Encoding::kJson);
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("task_id is missing"));
  auto bad = read_show_request(R"({"task_id":"t.1"})", Encoding::kJson);
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("task id 't.1'"));
  EXPECT_FALSE(read_show_request(R"({"id":"t-1"})", Encoding::kJson));
}

TEST(AuditTailRequest, DefaultsBoundsAndTask) {
  auto empty = read_audit_tail_request("", Encoding::kJson);
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->limit, kAuditTailDefaultLimit);
  EXPECT_TRUE(empty->task_id.empty());
  auto one = read_audit_tail_request(R"({"limit":3,"task_id":"t-1"})", Encoding::kJson);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->limit, 3u);
  EXPECT_EQ(one->task_id, "t-1");
  auto many = read_audit_tail_request(R"({"limit":1001})", Encoding::kJson);
  ASSERT_FALSE(many);
  EXPECT_THAT(many.error().message, HasSubstr("limit 1001 is out of range: use 0 to 1000: narrow"));
  EXPECT_FALSE(read_audit_tail_request(R"({"task_id":"a/b"})", Encoding::kJson));
}

TEST(AuditVerifyRequest, HasNoFields) {
  EXPECT_TRUE(read_audit_verify_request("", Encoding::kJson));
  EXPECT_TRUE(read_audit_verify_request("{}", Encoding::kJson));
  auto odd = read_audit_verify_request(R"({"from":1})", Encoding::kJson);
  ASSERT_FALSE(odd);
  EXPECT_THAT(odd.error().message, HasSubstr("unknown field \"from\""));
}

}  // namespace
}  // namespace tend
