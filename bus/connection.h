// One NATS connection with the habits tend needs everywhere: reconnect
// forever with back-off and jitter, publishes sent at once (SendAsap), every
// connection event logged, drain on shutdown. Subscriptions hand each message
// to a handler that must not block: decode and hand off, nothing more.
#pragma once

#include <google/protobuf/message.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/codec.h"
#include "bus/expected.h"
#include "bus/message.h"
#include "bus/nats_handles.h"
#include "bus/pending_limits.h"

namespace tend {

struct ConnectionOptions {
  std::vector<std::string> servers{"nats://127.0.0.1:4222"};
  std::string name;  // shows in the server's connection list
  // Daemons keep trying when the server is not up yet; tools fail fast.
  bool retry_initial_connect = false;
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds reconnect_base_delay{100};
  std::chrono::milliseconds reconnect_max_delay{5000};
  // Messages this connection publishes are not delivered back to its own
  // subscriptions (the coordinator's tallies on tend.progress.>, its tasks on
  // tend.task.>: it needs neither, and a fan-out to N hosts sends N tallies).
  bool no_echo = false;
  // Called on nats.c's thread after each reconnect (subscriptions are back
  // by then); it must not block.
  std::function<void()> on_reconnected;
};

// Keeps a subscription, and the handler it calls, alive. Unsubscribes when
// destroyed.
class Subscription {
 public:
  using Handler = std::function<void(Message)>;

  Subscription(nats::SubscriptionPtr sub, std::unique_ptr<Handler> handler)
      : sub_(std::move(sub)), handler_(std::move(handler)) {}
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Messages delivered and not yet handled; stops new deliveries.
  Expected<void> drain();

 private:
  nats::SubscriptionPtr sub_;
  std::unique_ptr<Handler> handler_;
};

class Connection {
 public:
  static Expected<std::unique_ptr<Connection>> connect(const ConnectionOptions& options);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Publishes `message` encoded as `encoding` (protobuf gets a Content-Type
  // header, JSON none). `reply` may be empty.
  Expected<void> publish(std::string_view subject, const google::protobuf::Message& message,
                         Encoding encoding = Encoding::kProtobuf, std::string_view reply = {});
  Expected<void> publish_raw(std::string_view subject, std::string_view data,
                             std::string_view reply = {});

  // Answers `request` on its reply subject in the request's own encoding.
  // Does nothing when the request has no reply subject.
  Expected<void> respond(const Message& request, const google::protobuf::Message& answer);

  Expected<Message> request(std::string_view subject, const google::protobuf::Message& message,
                            Encoding encoding, std::chrono::milliseconds timeout);
  Expected<Message> request_raw(std::string_view subject, std::string_view data,
                                std::chrono::milliseconds timeout);

  // `queue` non-empty makes it a queue subscription. What may wait for the
  // handler is bounded by pending_limits_for(subject) unless `limits` says
  // otherwise; past it messages are dropped and that is logged.
  Expected<std::unique_ptr<Subscription>> subscribe(
      std::string_view subject, Subscription::Handler handler, std::string_view queue = {},
      std::optional<PendingLimits> limits = std::nullopt);

  // Waits until the server has processed everything published so far.
  Expected<void> flush(std::chrono::milliseconds timeout);

  // Lets every subscription finish what it was delivered, then closes.
  void drain(std::chrono::milliseconds timeout);

  std::string new_inbox() const;
  bool connected() const;
  // The largest message the server takes, in bytes (1 MiB unless configured).
  int64_t max_payload() const;

  struct Events;  // what nats.c's connection callbacks need to know

 private:
  friend class JetStream;  // builds its context on this connection

  Connection(std::unique_ptr<Events> events, nats::ConnectionPtr conn);

  // Declared before conn_ so that it outlives the callbacks that read it.
  std::unique_ptr<Events> events_;
  nats::ConnectionPtr conn_;
};

// Releases nats.c's global state when the program ends: destroy every
// connection first, then let this go out of scope (nats_CloseAndWait).
class NatsLibrary {
 public:
  NatsLibrary() = default;
  ~NatsLibrary();
  NatsLibrary(const NatsLibrary&) = delete;
  NatsLibrary& operator=(const NatsLibrary&) = delete;
};

}  // namespace tend
