// What operators send besides tasks (approve/deny, control, kb, breakers,
// incidents, schedules, runs): just within each bound it is taken, just past
// it refused naming the field and the limit.
#include "core/common/request_bounds.h"

#include <gtest/gtest.h>

#include <string>

namespace tend {
namespace {

template <typename Request>
std::string verdict(const Request& request) {
  auto ok = check_request(request);
  return ok ? std::string("(taken)") : ok.error().message;
}

const std::string kActor(kMaxActorBytes, 'a');
const std::string kReason(kMaxReasonBytes, 'r');

TEST(RequestBounds, ApprovalAnswer) {
  tend::ApprovalAnswer a;
  a.set_by(kActor);
  a.set_comment(kReason);
  EXPECT_EQ(verdict(a), "(taken)");
  a.set_by(kActor + "a");
  EXPECT_EQ(verdict(a), "by is 257 bytes; the limit is 256");
  a.set_by("alice");
  a.set_comment(kReason + "r");
  EXPECT_EQ(verdict(a), "comment is 4097 bytes; the limit is 4096");
}

TEST(RequestBounds, Control) {
  tend::Control c;
  c.set_action("pause");
  c.set_by(kActor);
  c.set_reason(kReason);
  EXPECT_EQ(verdict(c), "(taken)");
  c.set_reason(kReason + "r");
  EXPECT_EQ(verdict(c), "reason is 4097 bytes; the limit is 4096");
  c.set_reason("");
  c.set_action(std::string(kMaxKeywordBytes + 1, 'p'));
  EXPECT_EQ(verdict(c), "action is 33 bytes; the limit is 32");
}

TEST(RequestBounds, KbAdjust) {
  tend::KbAdjust k;
  k.set_pattern(std::string(kMaxPatternBytes, 'p'));
  k.set_plugin("disk-cleanup");
  k.set_direction("demote");
  k.set_by(kActor);
  k.set_reason(kReason);
  EXPECT_EQ(verdict(k), "(taken)");
  k.set_pattern(std::string(kMaxPatternBytes + 1, 'p'));
  EXPECT_EQ(verdict(k), "pattern is 257 bytes; the limit is 256");
  k.set_pattern("disk-full");
  k.set_plugin(std::string(kMaxNameBytes + 1, 'x'));
  EXPECT_EQ(verdict(k), "plugin is 129 bytes; the limit is 128");
  k.set_plugin("disk cleanup");
  EXPECT_EQ(verdict(k),
            "plugin 'disk cleanup' has ' ': only letters, digits, '_' and '-' are "
            "allowed");
}

TEST(RequestBounds, BreakerReset) {
  tend::BreakerReset b;
  b.set_kind("rate");
  b.set_key(std::string(kMaxBreakerKeyBytes, 'k'));
  b.set_by(kActor);
  b.set_reason(kReason);
  EXPECT_EQ(verdict(b), "(taken)");
  b.set_key(std::string(kMaxBreakerKeyBytes + 1, 'k'));
  EXPECT_EQ(verdict(b), "key is 513 bytes; the limit is 512");
  b.set_key("nginx@web-01");
  b.set_kind(std::string(100000, 'k'));
  EXPECT_EQ(verdict(b), "kind is 100000 bytes; the limit is 32");
}

TEST(RequestBounds, IncidentQueryNumbersAreRangesNotWrapArounds) {
  tend::IncidentQuery q;
  q.set_since_s(kMaxLookBackSeconds);
  q.set_limit(kMaxListLimit);
  EXPECT_EQ(verdict(q), "(taken)");
  q.set_since_s(kMaxLookBackSeconds + 1);
  EXPECT_EQ(verdict(q), "since_s 315360001 is out of range: use 0 to 315360000 s");
  q.set_since_s(UINT64_MAX);
  EXPECT_EQ(verdict(q), "since_s 9223372036854775807 is out of range: use 0 to 315360000 s");
  q.set_since_s(0);
  q.set_limit(kMaxListLimit + 1);
  EXPECT_EQ(verdict(q), "limit 1001 is out of range: use 0 to 1000");
}

TEST(RequestBounds, ScheduleRequestAndRunRequest) {
  tend::ScheduleRequest s;
  s.set_name(std::string(kMaxNameBytes, 'n'));
  s.set_by(kActor);
  s.set_reason(kReason);
  EXPECT_EQ(verdict(s), "(taken)");
  s.set_name(std::string(kMaxNameBytes + 1, 'n'));
  EXPECT_EQ(verdict(s), "name is 129 bytes; the limit is 128");
  s.set_name("security-updates");
  s.set_by(kActor + "a");
  EXPECT_EQ(verdict(s), "by is 257 bytes; the limit is 256");

  tend::RunRequest r;
  r.set_run_id(std::string(kMaxRunIdBytes, 'r'));
  EXPECT_EQ(verdict(r), "(taken)");
  r.set_run_id(std::string(kMaxRunIdBytes + 1, 'r'));
  EXPECT_EQ(verdict(r), "run_id is 257 bytes; the limit is 256");
}

}  // namespace
}  // namespace tend
