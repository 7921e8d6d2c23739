#include "core/agent/telemetry/heartbeat_publisher.h"

#include "core/common/thread_name.h"

namespace tend {

HeartbeatPublisher::HeartbeatPublisher(std::chrono::seconds interval,
                                       std::function<tend::Heartbeat()> make,
                                       std::function<void(const tend::Heartbeat&)> send)
    : interval_(interval), make_(std::move(make)), send_(std::move(send)) {
  thread_ = std::thread([this] {
    name_this_thread("heartbeat");
    loop();
  });
}

HeartbeatPublisher::~HeartbeatPublisher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void HeartbeatPublisher::send_now() {
  {
    std::lock_guard lock(mu_);
    now_ = true;
  }
  wake_.notify_all();
}

void HeartbeatPublisher::loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    now_ = false;
    lock.unlock();
    send_(make_());
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stop_ || now_; });
  }
}

}  // namespace tend
