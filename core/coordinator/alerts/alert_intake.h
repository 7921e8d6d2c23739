// Where alerts come in: Alertmanager's webhook on the coordinator's HTTP
// listener (POST /alertmanager), and tend.alert on NATS (the same JSON, or a
// tend.AlertNotification in protobuf). Both only check and hand the batch to
// the sink (the alert pipeline's queue); nothing here waits for PostgreSQL.
//
// HTTP answers: 200 {"accepted": N}; 401 without the right token; 400 for a
// body that is not JSON, an alert without alertname or status, or a label,
// annotation or field past its bound (alert_bounds.h); 422 for a payload
// version other than 4; 413 over [alerts] max_body, past 1000 alerts or 32
// levels of JSON; 503 when the pipeline's queue is full (Alertmanager then
// retries). Every refusal names the field and the limit.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "bus/connection.h"
#include "bus/subjects.h"
#include "core/coordinator/alerts/alert.h"
#include "core/coordinator/alerts/webhook_auth.h"

namespace httplib {
class Server;
}

namespace tend::alerts {

inline constexpr const char* kWebhookPath = "/alertmanager";

class AlertIntake {
 public:
  // Takes a batch and the size of the notification it came in; an error
  // (naming the bound) when it could not be queued because too much waits.
  using Sink = std::function<Expected<void>(AlertBatch, size_t bytes)>;

  AlertIntake(WebhookAuth auth, uint64_t max_body, Sink sink)
      : auth_(std::move(auth)), max_body_(max_body), sink_(std::move(sink)) {}

  // Adds POST /alertmanager (and GET /healthz) to the listener.
  void add_routes(httplib::Server& server);

  // Subscribes tend.alert (queue group: one coordinator takes each).
  Expected<void> subscribe(Connection& conn, const Subjects& subjects);

  // What POST /alertmanager answers, given the Authorization header and body:
  // the HTTP status and the text. For tests, and the handler.
  struct Answer {
    int status;
    std::string body;
  };
  Answer webhook(std::string_view authorization, std::string_view body);

 private:
  void on_nats(Connection& conn, const Message& msg);

  WebhookAuth auth_;
  uint64_t max_body_;
  Sink sink_;
  std::unique_ptr<Subscription> sub_;
};

}  // namespace tend::alerts
