#include "tests/core/coordinator/fake_agent.h"

#include <gtest/gtest.h>

#include "core/common/task_id.h"
#include "schemas/heartbeat.pb.h"
#include "schemas/progress.pb.h"
#include "schemas/result.pb.h"

namespace tend::testing {

using namespace std::chrono_literals;

FakeAgent::FakeAgent(const std::string& url, const Subjects& subjects, NodeIdentity identity,
                     Behaviour behaviour)
    : subjects_(subjects), identity_(std::move(identity)), behaviour_(behaviour) {
  ConnectionOptions options;
  options.servers = {url};
  options.name = "fake agent " + identity_.host;
  auto conn = Connection::connect(options);
  if (!conn) {
    ADD_FAILURE() << conn.error().message;
    return;
  }
  conn_ = std::move(*conn);
  std::vector<std::string> wanted{subjects_.task_host(identity_.host),
                                  subjects_.task_role(identity_.role), subjects_.task_all()};
  for (const auto& tag : identity_.tags) wanted.push_back(subjects_.task_tag(tag));
  for (const auto& subject : wanted) {
    auto sub = conn_->subscribe(subject, [this](Message msg) { on_task(msg); });
    if (!sub) {
      ADD_FAILURE() << sub.error().message;
      continue;
    }
    subs_.push_back(std::move(*sub));
  }
  EXPECT_TRUE(conn_->flush(2s));
}

void FakeAgent::heartbeat() {
  if (!conn_) return;
  tend::Heartbeat hb;
  hb.set_host(identity_.host);
  hb.set_role(identity_.role);
  for (const auto& tag : identity_.tags) hb.add_tags(tag);
  hb.set_interval_s(10);
  EXPECT_TRUE(conn_->publish(subjects_.heartbeat(identity_.host), hb));
  EXPECT_TRUE(conn_->flush(2s));
}

void FakeAgent::on_task(const Message& msg) {
  tend::Task task;
  if (!msg.decode(task)) return;
  if (task.id().empty()) task.set_id(derived_task_id(msg.subject(), msg.reply(), msg.data()));
  const auto& t = task.target();
  bool has_target = t.all() || !t.hosts().empty() || !t.roles().empty() || !t.tags().empty();
  if (has_target && !TargetMatcher(t).matches(identity_)) return;
  {
    std::lock_guard lock(mu_);
    if (!seen_.insert(task.id()).second) return;
  }
  ++tasks_taken_;
  if (behaviour_ == Behaviour::kSilent) return;

  tend::Progress ack;
  ack.set_task_id(task.id());
  ack.set_kind(tend::Progress::ACK);
  ack.set_host(identity_.host);
  (void)conn_->publish(subjects_.progress(task.id()), ack);
  if (behaviour_ == Behaviour::kAckOnly) return;

  tend::Result result;
  result.set_task_id(task.id());
  result.set_host(identity_.host);
  result.set_plugin(task.plugin());
  if (behaviour_ == Behaviour::kSucceed) {
    result.set_status(tend::SUCCEEDED);
    result.set_summary("nothing to do");
  } else {
    result.set_status(tend::FAILED);
    result.set_error("repo error");
  }
  (void)conn_->publish(subjects_.result(task.id()), result);
}

}  // namespace tend::testing
