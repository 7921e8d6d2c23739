// What tendctl prints about the alert loop: incidents (and, below, the
// knowledge base, approvals and breakers), as an operator reads them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/tendctl/breaker_table.h"
#include "core/tendctl/incident_table.h"
#include "core/tendctl/kb_table.h"
#include "core/tendctl/pending_table.h"

namespace tend::tendctl {
namespace {

constexpr int64_t kNow = 1'700'000'000;

TEST(IncidentTable, OneRowPerIncidentWithDecisionOutcomeAndTimeToRemediate) {
  tend::IncidentList list;
  auto* fixed = list.add_incidents();
  fixed->set_id(12);
  fixed->set_alertname("DiskFull");
  (*fixed->mutable_labels())["instance"] = "web-01:9100";
  fixed->set_status("closed");
  fixed->set_decision("run");
  fixed->set_confidence(0.93);
  fixed->set_outcome("verified");
  fixed->set_time_to_remediate_ms(95000);
  fixed->set_resolution("verified: the alert resolved 40s after the fix");
  fixed->mutable_received_at()->set_seconds(kNow - 3600);
  auto* open = list.add_incidents();
  open->set_id(13);
  open->set_alertname("CpuOnFire");
  open->set_status("escalated");
  open->set_decision("escalate");
  open->set_resolution(std::string(100, 'x'));
  open->mutable_received_at()->set_seconds(kNow - 60);
  EXPECT_EQ(render_incidents(list, kNow, false),
            "ID  AGE      ALERT      HOST         STATUS     DECISION  CONF  OUTCOME   TTR    "
            "RESOLUTION\n"
            "12  60m ago  DiskFull   web-01:9100  closed     run       93%   verified  1m35s  "
            "verified: the alert resolved 40s after the fix\n"
            "13  60s ago  CpuOnFire  -            escalated  escalate  -     -         -      " +
                std::string(67, 'x') + "...\n" +  // long resolutions are cut
                "2 incidents, 1 open\n");
  EXPECT_EQ(render_incidents(tend::IncidentList(), kNow, false), "no incidents\n");
}

TEST(KbTable, EachPatternWithItsConfidenceTierCountsAndLastOutcome) {
  tend::KbList list;
  auto* disk = list.add_entries();
  disk->set_pattern("disk-full");
  disk->set_plugin("disk-cleanup");
  disk->set_confidence(0.911);
  disk->set_tier("run");
  disk->set_occurrences(9);
  disk->set_attempts(8);
  disk->set_successes(7);
  disk->set_failures(1);
  disk->set_last_outcome("verified");
  disk->mutable_last_at()->set_seconds(kNow - 120);
  auto* cpu = list.add_entries();
  cpu->set_pattern("CpuOnFire");
  cpu->set_tier("escalate");
  cpu->set_occurrences(2);
  auto* down = list.add_entries();
  down->set_pattern("service-down");
  down->set_plugin("service-restart");
  down->set_confidence(0.6);
  down->set_tier("approval");
  down->set_override("approval");
  down->set_override_by("alice");
  EXPECT_EQ(render_kb(list, kNow, false),
            "PATTERN       PLUGIN           CONFIDENCE  TIER                     SEEN  FIXES  "
            "VERIFIED  FAILED  LAST\n"
            "CpuOnFire     (no route)                -  escalate                    2      0  "
            "       0       0  -\n"
            "disk-full     disk-cleanup            91%  run                         9      8  "
            "       7       1  verified 2m ago\n"
            "service-down  service-restart         60%  approval (set by alice)     0      0  "
            "       0       0  -\n");
  EXPECT_THAT(render_kb(tend::KbList(), kNow, false), ::testing::HasSubstr("empty"));
}

TEST(PendingTable, EachWaitingFixWithWhatFiredWhyItWaitsAndHowToAnswer) {
  tend::PendingList list;
  auto* p = list.add_approvals();
  p->set_task_id("t-1234");
  p->set_incident_id(7);
  p->set_alertname("ServiceDown");
  p->set_plugin("service-restart");
  p->set_target("hosts=web-02");
  p->set_confidence(0.6);
  p->set_reason("ServiceDown on web-02: nginx is down (route service-down)");
  p->set_why("confidence 60% (0 verified, 0 failed, prior 60%): waits for approval");
  p->mutable_requested_at()->set_seconds(kNow - 300);
  p->mutable_expires_at()->set_seconds(kNow + 3300);
  EXPECT_EQ(
      render_pending(list, kNow, false),
      "TASK    INCIDENT  ALERT        PLUGIN           TARGET        CONFIDENCE  WAITING  "
      "EXPIRES-IN\n"
      "t-1234         7  ServiceDown  service-restart  hosts=web-02         60%   5m ago  "
      "    55m00s\n"
      "\n"
      "t-1234: ServiceDown on web-02: nginx is down (route service-down)\n"
      "  confidence 60% (0 verified, 0 failed, prior 60%): waits for approval\n"
      "\n"
      "Answer with: tendctl approve TASK [--comment WHY] | tendctl deny TASK [--comment WHY]\n");
  EXPECT_EQ(render_pending(tend::PendingList(), kNow, false), "no fix is waiting for approval\n");
}

TEST(BreakerTable, TheEmergencyStopFirstThenEachBreaker) {
  tend::BreakerList list;
  auto* stop = list.mutable_emergency_stop();
  stop->set_active(true);
  stop->set_by("alice");
  stop->set_reason("db migration");
  stop->mutable_since()->set_seconds(kNow - 600);
  auto* fleet = list.add_breakers();
  fleet->set_kind("fleet");
  fleet->set_key("fleet");
  fleet->set_state("closed");
  fleet->set_detail("0 of 4 automatic fixes failed within 1h");
  auto* pattern = list.add_breakers();
  pattern->set_kind("pattern");
  pattern->set_key("disk-full");
  pattern->set_state("half_open");
  pattern->set_detail("the last 2 fixes of disk-full failed");
  pattern->set_probe_task_id("t-9");
  pattern->mutable_since()->set_seconds(kNow - 3600);
  EXPECT_EQ(render_breakers(list, kNow, false),
            "EMERGENCY STOP since 10m ago by alice (db migration): no fix runs until tendctl "
            "resume --all\n\n"
            "KIND     KEY        STATE      SINCE    DETAIL\n"
            "fleet    fleet      closed     -        0 of 4 automatic fixes failed within 1h\n"
            "pattern  disk-full  half-open  60m ago  the last 2 fixes of disk-full failed (probe "
            "t-9)\n");
}

}  // namespace
}  // namespace tend::tendctl
