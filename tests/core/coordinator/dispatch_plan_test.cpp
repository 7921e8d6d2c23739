// Where a task is published and which hosts must answer it.
#include "core/coordinator/dispatch_plan.h"

#include <gtest/gtest.h>

namespace tend {
namespace {

using Hosts = std::vector<std::string>;
using Clock = NodeRegistry::Clock;

class DispatchPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add("web-01", "web", {"prod", "eu"});
    add("web-02", "web", {"prod", "us"});
    add("web-03", "web", {"staging"});
    add("db-01", "db", {"prod", "eu"});
    add("cache-01", "cache", {"prod"});
  }

  void add(const std::string& host, const std::string& role, std::vector<std::string> tags,
           std::optional<Clock::time_point> at = std::nullopt) {
    tend::Heartbeat hb;
    hb.set_host(host);
    hb.set_role(role);
    for (auto& t : tags) hb.add_tags(t);
    hb.set_interval_s(10);
    registry.heard(hb, at.value_or(now));
  }

  static tend::Task task(Hosts hosts, Hosts roles, Hosts tags, bool all = false) {
    tend::Task t;
    t.set_plugin("noop");
    for (auto& h : hosts) t.mutable_target()->add_hosts(h);
    for (auto& r : roles) t.mutable_target()->add_roles(r);
    for (auto& g : tags) t.mutable_target()->add_tags(g);
    t.mutable_target()->set_all(all);
    return t;
  }

  DispatchPlan plan(const tend::Task& t) { return plan_dispatch(t, registry, subjects, now); }

  Clock::time_point now = Clock::now();
  NodeRegistry registry;
  Subjects subjects;
};

TEST_F(DispatchPlanTest, HostsArePublishedToEachHostSubject) {
  auto p = plan(task({"web-02", "db-01"}, {}, {}));
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.host.db-01", "tend.task.host.web-02"}));
  EXPECT_EQ(p.expected_hosts, (Hosts{"db-01", "web-02"}));
}

TEST_F(DispatchPlanTest, AnExplicitHostThatIsNotOnlineIsStillExpected) {
  auto p = plan(task({"web-01", "web-99"}, {}, {}));
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.host.web-01", "tend.task.host.web-99"}));
  EXPECT_EQ(p.expected_hosts, (Hosts{"web-01", "web-99"}));
}

TEST_F(DispatchPlanTest, RolesArePublishedToEachRoleSubject) {
  auto p = plan(task({}, {"web", "cache"}, {}));
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.role.cache", "tend.task.role.web"}));
  EXPECT_EQ(p.expected_hosts, (Hosts{"cache-01", "web-01", "web-02", "web-03"}));
}

TEST_F(DispatchPlanTest, TagsArePublishedToEachTagSubject) {
  auto p = plan(task({}, {}, {"eu", "us"}));
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.tag.eu", "tend.task.tag.us"}));
  EXPECT_EQ(p.expected_hosts, (Hosts{"db-01", "web-01", "web-02"}));
}

TEST_F(DispatchPlanTest, AllIsPublishedOnceToEveryone) {
  auto p = plan(task({}, {}, {}, true));
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.all"}));
  EXPECT_EQ(p.expected_hosts.size(), 5u);
}

TEST_F(DispatchPlanTest, RoleAndTagMustBothMatchAndTheRoleSubjectIsUsed) {
  auto p = plan(task({}, {"web"}, {"prod"}));
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.role.web"}));
  EXPECT_EQ(p.expected_hosts, (Hosts{"web-01", "web-02"}));
}

TEST_F(DispatchPlanTest, AnOnlineHostOutsideTheOtherListsIsNotExpected) {
  // db-01 is online but not a web node: it will ignore the task.
  auto p = plan(task({"db-01", "web-01"}, {"web"}, {}));
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.host.db-01", "tend.task.host.web-01"}));
  EXPECT_EQ(p.expected_hosts, (Hosts{"web-01"}));
}

TEST_F(DispatchPlanTest, NodesThatStoppedHeartbeatingAreStillExpectedForADay) {
  auto later = now + std::chrono::seconds(31);
  add("web-04", "web", {}, later);
  auto p = plan_dispatch(task({}, {"web"}, {}), registry, subjects, later);
  EXPECT_EQ(p.expected_hosts, (Hosts{"web-01", "web-02", "web-03", "web-04"}));
  auto next_day = now + NodeRegistry::kStillExpectedAfterLoss;
  add("web-04", "web", {}, next_day);
  p = plan_dispatch(task({}, {"web"}, {}), registry, subjects, next_day);
  EXPECT_EQ(p.expected_hosts, (Hosts{"web-04"}));
}

TEST_F(DispatchPlanTest, NoOnlineMatchMeansNoOneIsExpected) {
  auto p = plan(task({}, {"mail"}, {}));
  EXPECT_TRUE(p.expected_hosts.empty());
  EXPECT_EQ(p.subjects, (Hosts{"tend.task.role.mail"}));
}

TEST_F(DispatchPlanTest, SubjectsFollowTheConfiguredPrefix) {
  subjects = Subjects("acme");
  EXPECT_EQ(plan(task({}, {}, {}, true)).subjects, (Hosts{"acme.task.all"}));
}

// --- tasks an operator published straight to a task subject ----------------

TEST_F(DispatchPlanTest, PublishedOnARoleSubjectExpectsThatRole) {
  auto e =
      expected_for_published_task("tend.task.role.web", task({}, {}, {}), registry, subjects, now);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, (Hosts{"web-01", "web-02", "web-03"}));
}

TEST_F(DispatchPlanTest, PublishedOnATagSubjectIsNarrowedByTheTarget) {
  auto e = expected_for_published_task("tend.task.tag.prod", task({}, {"web"}, {}), registry,
                                       subjects, now);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, (Hosts{"web-01", "web-02"}));
}

TEST_F(DispatchPlanTest, PublishedOnAllExpectsEveryOnlineNode) {
  auto e = expected_for_published_task("tend.task.all", task({}, {}, {}), registry, subjects, now);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->size(), 5u);
}

TEST_F(DispatchPlanTest, PublishedToAnOfflineHostExpectsItAnyway) {
  auto e = expected_for_published_task("tend.task.host.web-99", task({}, {}, {}), registry,
                                       subjects, now);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e, (Hosts{"web-99"}));
}

TEST_F(DispatchPlanTest, PublishedToAHostTheTargetExcludesExpectsNoOne) {
  auto e = expected_for_published_task("tend.task.host.web-01", task({}, {"db"}, {}), registry,
                                       subjects, now);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->empty());
}

TEST_F(DispatchPlanTest, ASubjectThatIsNotATaskSubjectIsNotFollowed) {
  EXPECT_FALSE(
      expected_for_published_task("tend.task.bogus.x", task({}, {}, {}), registry, subjects, now));
  EXPECT_FALSE(
      expected_for_published_task("tend.task.host.a.b", task({}, {}, {}), registry, subjects, now));
}

}  // namespace
}  // namespace tend
