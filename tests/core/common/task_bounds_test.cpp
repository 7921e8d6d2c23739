// Every bound of a Task, just under (accepted) and just over (refused with
// the field and the limit named).
#include "core/common/task_bounds.h"

#include <gtest/gtest.h>

#include <string>

#include "bus/names.h"
#include "core/common/param_bounds.h"

namespace tend {
namespace {

tend::Task plain_task() {
  tend::Task task;
  task.set_id("t-1");
  task.set_plugin("noop");
  return task;
}

std::string refusal(const tend::Task& task) {
  auto ok = check_task_bounds(task);
  return ok ? "accepted" : ok.error().message;
}

TEST(TaskBounds, APlainTaskIsWithinEveryBound) {
  EXPECT_EQ(refusal(plain_task()), "accepted");
  EXPECT_EQ(refusal(tend::Task()), "accepted") << "an id is generated, a plugin checked later";
}

TEST(TaskBounds, TextFieldsAreBoundedByName) {
  struct Case {
    void (tend::Task::*set)(const std::string&);
    size_t limit;
    std::string refused;
  };
  const Case cases[] = {
      {&tend::Task::set_id, kMaxNameBytes, "task id is 129 bytes; the limit is 128"},
      {&tend::Task::set_plugin, kMaxNameBytes, "plugin is 129 bytes; the limit is 128"},
      {&tend::Task::set_requested_by, kMaxActorBytes,
       "requested_by is 257 bytes; the limit is 256"},
      {&tend::Task::set_approved_by, kMaxActorBytes, "approved_by is 257 bytes; the limit is 256"},
      {&tend::Task::set_dispatched_by, kMaxActorBytes,
       "dispatched_by is 257 bytes; the limit is 256"},
      {&tend::Task::set_reason, kMaxReasonBytes, "reason is 4097 bytes; the limit is 4096"},
  };
  for (const auto& c : cases) {
    tend::Task task = plain_task();
    (task.*c.set)(std::string(c.limit, 'a'));
    EXPECT_EQ(refusal(task), "accepted") << c.refused;
    (task.*c.set)(std::string(c.limit + 1, 'a'));
    EXPECT_EQ(refusal(task), c.refused);
  }
}

TEST(TaskBounds, TargetListsAndTheirEntriesAreBounded) {
  tend::Task task = plain_task();
  for (size_t i = 0; i < kMaxTargetHosts; ++i) task.mutable_target()->add_hosts("web");
  EXPECT_EQ(refusal(task), "accepted");
  task.mutable_target()->add_hosts("web");
  EXPECT_EQ(refusal(task), "target hosts has 10001 items; the limit is 10000");

  task = plain_task();
  for (size_t i = 0; i < kMaxTargetRolesOrTags + 1; ++i) task.mutable_target()->add_tags("x");
  EXPECT_EQ(refusal(task), "target tags has 1001 items; the limit is 1000");

  task = plain_task();
  task.mutable_target()->add_roles("web");
  task.mutable_target()->add_roles(std::string(kMaxNameBytes, 'r'));
  EXPECT_EQ(refusal(task), "accepted");
  task.mutable_target()->add_roles(std::string(kMaxNameBytes + 1, 'r'));
  EXPECT_EQ(refusal(task), "target role #3 is 129 bytes; the limit is 128");
}

TEST(TaskBounds, ParamsAreCountedAndEachValueBounded) {
  tend::Task task = plain_task();
  auto& fields = *task.mutable_params()->mutable_fields();
  for (size_t i = 0; i < kMaxParams; ++i) fields["p" + std::to_string(i)].set_number_value(1);
  EXPECT_EQ(refusal(task), "accepted");
  fields["one-more"].set_number_value(1);
  EXPECT_EQ(refusal(task), "params has 257 items; the limit is 256");

  task = plain_task();
  auto& command = (*task.mutable_params()->mutable_fields())["command"];
  command.set_string_value("/" + std::string(kMaxParamBytes - 1, 'a'));
  EXPECT_EQ(refusal(task), "accepted");
  command.set_string_value("/" + std::string(300'000, 'a'));
  EXPECT_EQ(refusal(task), "param 'command' is 300001 bytes; the limit is 4096");
}

TEST(TaskBounds, TheFirstParamOutOfBoundsByNameIsTheOneNamed) {
  tend::Task task = plain_task();
  auto& fields = *task.mutable_params()->mutable_fields();
  fields["zeta"].set_string_value(std::string(5000, 'z'));
  fields["alpha"].set_string_value(std::string(6000, 'a'));
  EXPECT_EQ(refusal(task), "param 'alpha' is 6000 bytes; the limit is 4096");
}

TEST(TaskBounds, TimeoutIsADayAtMostAndZeroMeansTheDefault) {
  tend::Task task = plain_task();
  task.set_timeout_s(0);
  EXPECT_EQ(refusal(task), "accepted");
  task.set_timeout_s(86'400);
  EXPECT_EQ(refusal(task), "accepted");
  task.set_timeout_s(86'401);
  EXPECT_EQ(refusal(task), "timeout_s 86401 is out of range: use 1 to 86400 s");
  task.set_timeout_s(99'999'999);
  EXPECT_EQ(refusal(task), "timeout_s 99999999 is out of range: use 1 to 86400 s");
}

}  // namespace
}  // namespace tend
