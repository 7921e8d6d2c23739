// The agent's result outbox: a result reaches the results stream once,
// whatever happens to NATS on the way, and goes out plainly where no stream
// keeps results. Against a real nats-server of the test's own, with JetStream.
#include "core/agent/tasks/result_outbox.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/support/eventually.h"
#include "tests/support/message_inbox.h"
#include "tests/support/nats_server.h"

namespace tend {
namespace {

using namespace std::chrono_literals;
using testing::eventually;

class ResultOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(nats_.start());
    ConnectionOptions options;
    options.servers = {nats_.url()};
    options.name = "outbox test";
    options.reconnect_base_delay = 50ms;
    options.reconnect_max_delay = 200ms;
    auto conn = Connection::connect(options);
    ASSERT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
  }

  void make_stream() {
    auto js = JetStream::open(*conn_);
    ASSERT_TRUE(js) << js.error().message;
    ASSERT_TRUE((*js)->ensure_stream({subjects_.results_stream(), {subjects_.result_all()}}));
  }

  uint64_t stored() {
    auto js = JetStream::open(*conn_);
    if (!js) return 0;
    auto n = (*js)->stream_messages(subjects_.results_stream());
    return n ? *n : 0;
  }

  static tend::Result result(const std::string& task_id) {
    tend::Result r;
    r.set_task_id(task_id);
    r.set_host("web-01");
    r.set_status(tend::SUCCEEDED);
    return r;
  }

  testing::NatsServer nats_;
  Subjects subjects_{"tend"};
  std::unique_ptr<Connection> conn_;
};

TEST_F(ResultOutboxTest, AResultSentTwiceIsStoredOnce) {
  make_stream();
  ResultOutbox outbox(*conn_, subjects_);
  outbox.send_here(result("t-1"));
  outbox.send(result("t-1"));  // a retry of the same task on the same host
  ASSERT_TRUE(eventually([&] { return outbox.pending() == 0; }, 10s));
  EXPECT_EQ(stored(), 1u);
}

TEST_F(ResultOutboxTest, AResultSentWhileNatsIsDownIsStoredOnceItIsBack) {
  make_stream();
  ResultOutbox outbox(*conn_, subjects_);
  nats_.stop();
  outbox.send(result("t-2"));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(outbox.pending(), 1u) << "kept, not dropped, while nothing acknowledges it";
  ASSERT_TRUE(nats_.start());  // the same port and store, as a restarted server
  ASSERT_TRUE(eventually([&] { return outbox.pending() == 0; }, 20s));
  EXPECT_EQ(stored(), 1u);
}

TEST_F(ResultOutboxTest, WithoutAStreamTheResultGoesOutPlainlyAndIsNotRetried) {
  testing::MessageInbox results;
  auto sub = conn_->subscribe(subjects_.result_all(), results.handler());
  ASSERT_TRUE(sub && conn_->flush(2s));
  ResultOutbox outbox(*conn_, subjects_);
  outbox.send_here(result("t-3"));
  auto msg = results.next(5s);
  ASSERT_TRUE(msg) << "the coordinator hears it all the same";
  EXPECT_EQ(msg->subject(), subjects_.result("t-3"));
  EXPECT_EQ(outbox.pending(), 0u);
  EXPECT_FALSE(results.next(500ms)) << "sent once";
}

TEST_F(ResultOutboxTest, WhatWaitsIsBoundedInResultsAndTheNewestIsDropped) {
  make_stream();
  ResultOutbox outbox(*conn_, subjects_, OutboxLimits{.results = 3, .bytes = 1 << 20});
  nats_.stop();
  for (int i = 0; i < 3; ++i) outbox.send(result("kept-" + std::to_string(i)));
  EXPECT_EQ(outbox.pending(), 3u) << "up to the limit, all kept";
  EXPECT_EQ(outbox.dropped(), 0u);
  outbox.send(result("dropped-1"));
  outbox.send_here(result("dropped-2"));
  EXPECT_EQ(outbox.pending(), 3u);
  EXPECT_EQ(outbox.dropped(), 2u);
  outbox.stop(0ms);
}

TEST_F(ResultOutboxTest, WhatWaitsIsBoundedInBytes) {
  make_stream();
  tend::Result big = result("big");
  (*big.mutable_outputs())["stdout"] = std::string(600, 'o');
  const size_t one = big.ByteSizeLong();
  ResultOutbox outbox(*conn_, subjects_, OutboxLimits{.results = 100, .bytes = 2 * one});
  nats_.stop();
  outbox.send(big);
  outbox.send(big);
  EXPECT_EQ(outbox.pending(), 2u) << "exactly at the limit";
  outbox.send(big);
  EXPECT_EQ(outbox.pending(), 2u);
  EXPECT_EQ(outbox.dropped(), 1u);
  outbox.stop(0ms);
}

TEST_F(ResultOutboxTest, StoppingGivesUpOnWhatCannotBeDeliveredWithinTheGrace) {
  make_stream();
  auto outbox = std::make_unique<ResultOutbox>(*conn_, subjects_);
  nats_.stop();
  outbox->send(result("t-4"));
  const auto t0 = std::chrono::steady_clock::now();
  outbox->stop(300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s) << "an agent stopping is not held up";
}

}  // namespace
}  // namespace tend
