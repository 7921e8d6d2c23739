#include "core/agent/telemetry/heartbeat_publisher.h"

namespace tend {

HeartbeatPublisher::HeartbeatPublisher(std::chrono::seconds interval,
                                       std::function<tend::Heartbeat()> make,
                                       std::function<void(const tend::Heartbeat&)> send)
    : interval_(interval),
      make_(std::move(make)),
      send_(std::move(send)),
      loop_(*this, "heartbeat", "heartbeat") {
  loop_.start();
}

HeartbeatPublisher::~HeartbeatPublisher() { loop_.stop(); }

void HeartbeatPublisher::on_wake() {
  if (Clock::now() < next_due_) return;
  send_(make_());
  next_due_ = Clock::now() + interval_;
}

}  // namespace tend
