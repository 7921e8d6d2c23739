#include "bus/connection.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>

namespace tend {
namespace {

std::string status_text(natsStatus s) {
  const char* last = nats_GetLastError(nullptr);
  if (last != nullptr && *last != '\0') return fmt::format("{} ({})", natsStatus_GetText(s), last);
  return natsStatus_GetText(s);
}

std::string connected_url(natsConnection* nc) {
  char buf[256] = {0};
  if (natsConnection_GetConnectedUrl(nc, buf, sizeof(buf)) == NATS_OK && buf[0] != '\0') return buf;
  return "(none)";
}

struct ReconnectPolicy {
  int64_t base_ms;
  int64_t max_ms;
};

// Exponential back-off with full jitter, so a fleet of agents that lost the
// same server does not come back in one thundering herd.
int64_t reconnect_delay(natsConnection*, int attempts, void* closure) {
  const auto* policy = static_cast<const ReconnectPolicy*>(closure);
  int shift = std::clamp(attempts - 1, 0, 20);
  int64_t ceiling = std::min(policy->max_ms, policy->base_ms << shift);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int64_t> jitter(ceiling / 2, std::max<int64_t>(ceiling, 1));
  return jitter(rng);
}

}  // namespace

// What nats.c's connection callbacks read. It must outlive them: the closed
// callback is the last one nats.c makes, so the destructor waits for it.
struct Connection::Events {
  // Set before we close on purpose, so that is not logged as a lost link.
  std::atomic<bool> closing{false};
  std::function<void()> on_reconnected;
  std::mutex mu;
  std::condition_variable closed_cv;
  bool closed = false;

  void wait_closed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu);
    closed_cv.wait_for(lock, timeout, [this] { return closed; });
  }
};

namespace {

void on_disconnected(natsConnection*, void* closure) {
  if (static_cast<Connection::Events*>(closure)->closing) return;
  spdlog::warn("NATS connection lost; reconnecting (messages published meanwhile are buffered)");
}

void on_reconnected(natsConnection* nc, void* closure) {
  spdlog::info("NATS reconnected to {}", connected_url(nc));
  auto* events = static_cast<Connection::Events*>(closure);
  if (!events->on_reconnected) return;
  try {
    events->on_reconnected();
  } catch (const std::exception& e) {
    spdlog::error("after reconnecting: {}", e.what());
  }
}

void on_connected(natsConnection* nc, void*) {
  spdlog::info("NATS connected to {}", connected_url(nc));
}

void on_closed(natsConnection*, void* closure) {
  spdlog::debug("NATS connection closed");
  auto* events = static_cast<Connection::Events*>(closure);
  std::lock_guard lock(events->mu);
  events->closed = true;
  events->closed_cv.notify_all();
}

// nats.c says so once each time a subscription starts dropping, not per
// message: the count says how many were lost so far.
void log_slow_consumer(natsSubscription* sub, const char* subject) {
  int max_messages = 0;
  int max_bytes = 0;
  int64_t dropped = 0;
  (void)natsSubscription_GetPendingLimits(sub, &max_messages, &max_bytes);
  (void)natsSubscription_GetDropped(sub, &dropped);
  spdlog::error(
      "NATS slow consumer on '{}': {} messages or {} bytes were waiting for its handler, the "
      "limit; newer messages are dropped ({} so far)",
      subject ? subject : "?", max_messages, max_bytes, dropped);
}

void on_error(natsConnection*, natsSubscription* sub, natsStatus err, void*) {
  const char* subject = sub ? natsSubscription_GetSubject(sub) : nullptr;
  if (err == NATS_SLOW_CONSUMER && sub != nullptr) {
    log_slow_consumer(sub, subject);
    return;
  }
  spdlog::error("NATS error{}{}: {}", subject ? " on " : "", subject ? subject : "",
                natsStatus_GetText(err));
}

void deliver(natsConnection*, natsSubscription* sub, natsMsg* raw, void* closure) {
  auto* handler = static_cast<Subscription::Handler*>(closure);
  Message msg{nats::MsgPtr(raw)};
  // Nothing may escape into nats.c's delivery thread. (The message is the
  // handler's by then: name the subscription's subject.)
  try {
    (*handler)(std::move(msg));
  } catch (const std::exception& e) {
    spdlog::error("handler for '{}' failed: {}", natsSubscription_GetSubject(sub), e.what());
  } catch (...) {
    spdlog::error("handler for '{}' failed with an unknown exception",
                  natsSubscription_GetSubject(sub));
  }
}

Error request_error(std::string_view subject, natsStatus s, std::chrono::milliseconds timeout) {
  if (s == NATS_TIMEOUT) {
    return make_error(fmt::format("no answer on '{}' within {} ms", subject, timeout.count()));
  }
  if (s == NATS_NO_RESPONDERS) {
    return make_error(fmt::format("nobody is listening on '{}'", subject));
  }
  return make_error(fmt::format("request on '{}' failed: {}", subject, status_text(s)));
}

}  // namespace

// --- Subscription ---------------------------------------------------------

Subscription::~Subscription() {
  if (!sub_) return;
  // Draining and waiting guarantees the handler is not running when it is
  // freed below. On a closed connection there is nothing left to deliver.
  if (natsSubscription_Drain(sub_.get()) == NATS_OK) {
    natsSubscription_WaitForDrainCompletion(sub_.get(), 5000);
  } else {
    natsSubscription_Unsubscribe(sub_.get());
  }
}

Expected<void> Subscription::drain() {
  natsStatus s = natsSubscription_Drain(sub_.get());
  if (s != NATS_OK) return make_error(fmt::format("cannot drain: {}", status_text(s)));
  return {};
}

// --- Connection -----------------------------------------------------------

Expected<std::unique_ptr<Connection>> Connection::connect(const ConnectionOptions& options) {
  if (options.servers.empty()) return make_error("no NATS server configured");
  // nats.c spins on a busy lock up to 2000 times (with a pause each) before
  // it sleeps on it. On a small machine shared by many processes the holder
  // is rarely running meanwhile, so the spinning only burns the CPU it needs:
  // no spinning. (The first call wins; nats_Open is a no-op afterwards.)
  static std::once_flag opened;
  std::call_once(opened, [] { nats_Open(0); });
  natsOptions* raw_opts = nullptr;
  if (natsOptions_Create(&raw_opts) != NATS_OK) return make_error("cannot allocate NATS options");
  nats::OptionsPtr opts(raw_opts);

  std::vector<const char*> urls;
  for (const auto& s : options.servers) urls.push_back(s.c_str());
  natsStatus s = natsOptions_SetServers(raw_opts, urls.data(), static_cast<int>(urls.size()));
  if (s != NATS_OK) {
    return make_error(fmt::format("bad NATS server list: {}", status_text(s)));
  }
  // The policy is read by nats.c for the life of the process; connections are
  // few and long-lived, so it is simply never freed.
  static auto* policy = new ReconnectPolicy{options.reconnect_base_delay.count(),
                                            options.reconnect_max_delay.count()};
  if (!options.name.empty()) natsOptions_SetName(raw_opts, options.name.c_str());
  natsOptions_SetTimeout(raw_opts, options.connect_timeout.count());
  natsOptions_SetMaxReconnect(raw_opts, -1);  // forever, not nats.c's default 60 tries
  natsOptions_SetCustomReconnectDelay(raw_opts, reconnect_delay, policy);
  natsOptions_SetSendAsap(raw_opts, true);  // 5x lower round trip than buffered sends
  if (options.no_echo) natsOptions_SetNoEcho(raw_opts, true);
  auto events = std::make_unique<Events>();
  events->on_reconnected = options.on_reconnected;
  natsOptions_SetDisconnectedCB(raw_opts, on_disconnected, events.get());
  natsOptions_SetReconnectedCB(raw_opts, on_reconnected, events.get());
  natsOptions_SetClosedCB(raw_opts, on_closed, events.get());
  natsOptions_SetErrorHandler(raw_opts, on_error, nullptr);
  if (options.retry_initial_connect) {
    natsOptions_SetRetryOnFailedConnect(raw_opts, true, on_connected, nullptr);
  }

  natsConnection* nc = nullptr;
  s = natsConnection_Connect(&nc, raw_opts);
  if (s == NATS_NOT_YET_CONNECTED) {
    spdlog::warn("NATS server {} not reachable yet; will keep trying", options.servers.front());
  } else if (s != NATS_OK) {
    return make_error(fmt::format("cannot connect to NATS at {}: {}",
                                  fmt::join(options.servers, ","), status_text(s)));
  }
  return std::unique_ptr<Connection>(new Connection(std::move(events), nats::ConnectionPtr(nc)));
}

Connection::Connection(std::unique_ptr<Events> events, nats::ConnectionPtr conn)
    : events_(std::move(events)), conn_(std::move(conn)) {}

Connection::~Connection() {
  events_->closing = true;
  if (conn_ && !natsConnection_IsClosed(conn_.get())) natsConnection_Close(conn_.get());
  // The callbacks run on nats.c's own thread: wait for the last one before
  // events_ goes (a connection that never connected may never get one).
  events_->wait_closed(std::chrono::seconds(2));
  conn_.reset();
}

Expected<void> Connection::publish(std::string_view subject,
                                   const google::protobuf::Message& message, Encoding encoding,
                                   std::string_view reply) {
  std::string payload = encode(message, encoding);
  if (encoding == Encoding::kJson) return publish_raw(subject, payload, reply);
  auto msg = make_message(subject, reply, payload, encoding);
  if (!msg) return msg.error();
  natsStatus s = natsConnection_PublishMsg(conn_.get(), msg->get());
  if (s != NATS_OK) {
    return make_error(fmt::format("cannot publish on '{}': {}", subject, status_text(s)));
  }
  return {};
}

Expected<void> Connection::publish_raw(std::string_view subject, std::string_view data,
                                       std::string_view reply) {
  std::string subj(subject), rep(reply);
  const int len = static_cast<int>(data.size());
  natsStatus s = rep.empty() ? natsConnection_Publish(conn_.get(), subj.c_str(), data.data(), len)
                             : natsConnection_PublishRequest(conn_.get(), subj.c_str(), rep.c_str(),
                                                             data.data(), len);
  if (s != NATS_OK) {
    return make_error(fmt::format("cannot publish on '{}': {}", subject, status_text(s)));
  }
  return {};
}

Expected<void> Connection::respond(const Message& request,
                                   const google::protobuf::Message& answer) {
  if (request.reply().empty()) return {};
  return publish(request.reply(), answer, request.encoding());
}

Expected<Message> Connection::request(std::string_view subject,
                                      const google::protobuf::Message& message, Encoding encoding,
                                      std::chrono::milliseconds timeout) {
  std::string payload = encode(message, encoding);
  if (encoding == Encoding::kJson) return request_raw(subject, payload, timeout);
  auto msg = make_message(subject, {}, payload, encoding);
  if (!msg) return msg.error();
  natsMsg* reply = nullptr;
  natsStatus s = natsConnection_RequestMsg(&reply, conn_.get(), msg->get(), timeout.count());
  if (s != NATS_OK) return request_error(subject, s, timeout);
  return Message(nats::MsgPtr(reply));
}

Expected<Message> Connection::request_raw(std::string_view subject, std::string_view data,
                                          std::chrono::milliseconds timeout) {
  std::string subj(subject);
  natsMsg* reply = nullptr;
  natsStatus s = natsConnection_Request(&reply, conn_.get(), subj.c_str(), data.data(),
                                        static_cast<int>(data.size()), timeout.count());
  if (s != NATS_OK) return request_error(subject, s, timeout);
  return Message(nats::MsgPtr(reply));
}

Expected<std::unique_ptr<Subscription>> Connection::subscribe(std::string_view subject,
                                                              Subscription::Handler handler,
                                                              std::string_view queue,
                                                              std::optional<PendingLimits> limits) {
  auto owned = std::make_unique<Subscription::Handler>(std::move(handler));
  std::string subj(subject), group(queue);
  natsSubscription* sub = nullptr;
  natsStatus s = group.empty() ? natsConnection_Subscribe(&sub, conn_.get(), subj.c_str(), deliver,
                                                          owned.get())
                               : natsConnection_QueueSubscribe(&sub, conn_.get(), subj.c_str(),
                                                               group.c_str(), deliver, owned.get());
  if (s != NATS_OK) {
    return make_error(fmt::format("cannot subscribe to '{}': {}", subject, status_text(s)));
  }
  // Owned from here, so a failure below still unsubscribes cleanly.
  auto subscription = std::make_unique<Subscription>(nats::SubscriptionPtr(sub), std::move(owned));
  const PendingLimits pending = limits.value_or(pending_limits_for(subject));
  // nats.c counts bytes in an int.
  const int pending_bytes = static_cast<int>(std::min<int64_t>(pending.bytes, INT32_MAX));
  s = natsSubscription_SetPendingLimits(sub, pending.messages, pending_bytes);
  if (s != NATS_OK) {
    return make_error(fmt::format("cannot limit what waits on '{}': {}", subject, status_text(s)));
  }
  return subscription;
}

Expected<void> Connection::flush(std::chrono::milliseconds timeout) {
  natsStatus s = natsConnection_FlushTimeout(conn_.get(), timeout.count());
  if (s != NATS_OK) return make_error(fmt::format("flush failed: {}", status_text(s)));
  return {};
}

void Connection::drain(std::chrono::milliseconds timeout) {
  if (!conn_ || natsConnection_IsClosed(conn_.get())) return;
  events_->closing = true;
  if (natsConnection_DrainTimeout(conn_.get(), timeout.count()) != NATS_OK) {
    natsConnection_Close(conn_.get());
    return;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout + std::chrono::milliseconds(500);
  while (!natsConnection_IsClosed(conn_.get()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string Connection::new_inbox() const {
  natsInbox* inbox = nullptr;
  if (natsInbox_Create(&inbox) != NATS_OK) return "_INBOX.fallback";
  std::string result(inbox);
  natsInbox_Destroy(inbox);
  return result;
}

bool Connection::connected() const {
  return conn_ && natsConnection_Status(conn_.get()) == NATS_CONN_STATUS_CONNECTED;
}

int64_t Connection::max_payload() const {
  return conn_ ? natsConnection_GetMaxPayload(conn_.get()) : 0;
}

NatsLibrary::~NatsLibrary() { nats_CloseAndWait(2000); }

}  // namespace tend
