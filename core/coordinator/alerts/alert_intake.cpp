#include "core/coordinator/alerts/alert_intake.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "bus/replier.h"
#include "core/common/json_text.h"
#include "core/coordinator/alerts/alertmanager_payload.h"
#include "schemas/alert.pb.h"
#include "schemas/task.pb.h"

namespace tend::alerts {
namespace {

// A refusal may quote what came in: bytes that are not UTF-8 are replaced.
std::string json_body(const nlohmann::json& j) {
  return json_text(j) + "\n";
}

int status_for(PayloadError::Kind kind) {
  switch (kind) {
    case PayloadError::Kind::kUnknownVersion:
      return 422;
    case PayloadError::Kind::kTooLarge:
      return 413;
    case PayloadError::Kind::kBadJson:
    case PayloadError::Kind::kBadAlert:
      return 400;
  }
  return 400;
}

}  // namespace

AlertIntake::Answer AlertIntake::webhook(std::string_view authorization, std::string_view body) {
  if (!auth_.allows(authorization)) {
    return {401, json_body({{"error", authorization.empty()
                                          ? "no Authorization header: send the token from "
                                            "[alerts] webhook_token as a bearer token"
                                          : "the token does not match [alerts] webhook_token"}})};
  }
  auto parsed = parse_alertmanager_json(body);
  if (!parsed) {
    spdlog::warn("webhook: alert notification refused: {}", parsed.error().message);
    return {status_for(parsed.error().kind), json_body({{"error", parsed.error().message}})};
  }
  AlertBatch& batch = parsed.batch();
  batch.source = "webhook";
  const size_t count = batch.alerts.size();
  if (auto queued = sink_(std::move(batch), body.size()); !queued) {
    return {503, json_body({{"error", queued.error().message + ": Alertmanager retries"}})};
  }
  return {200, json_body({{"accepted", count}})};
}

void AlertIntake::add_routes(httplib::Server& server) {
  server.set_payload_max_length(max_body_);
  server.Post(kWebhookPath, [this](const httplib::Request& req, httplib::Response& res) {
    auto answer = webhook(req.get_header_value("Authorization"), req.body);
    res.status = answer.status;
    if (answer.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"tend\"");
    res.set_content(answer.body, "application/json");
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
}

Expected<void> AlertIntake::subscribe(Connection& conn, const Subjects& subjects) {
  auto sub = conn.subscribe(
      subjects.alert(), [this, &conn](Message msg) { on_nats(conn, msg); }, kCoordinatorQueueGroup);
  if (!sub) return sub.error();
  sub_ = std::move(*sub);
  return {};
}

void AlertIntake::on_nats(Connection& conn, const Message& msg) {
  const Replier replier(conn, "alerts");
  PayloadResult parsed = PayloadError{PayloadError::Kind::kBadJson, ""};
  if (msg.encoding() == Encoding::kProtobuf) {
    tend::AlertNotification notification;
    if (auto ok = msg.decode(notification); !ok) return replier.refuse(msg, ok.error().message);
    parsed = from_notification(notification);
  } else {
    parsed = parse_alertmanager_json(msg.data());
  }
  if (!parsed) return replier.refuse(msg, parsed.error().message);
  AlertBatch& batch = parsed.batch();
  batch.source = "nats";
  const auto count = static_cast<uint32_t>(batch.alerts.size());
  if (auto queued = sink_(std::move(batch), msg.data().size()); !queued) {
    return replier.refuse(msg, queued.error().message + ": try again in a moment");
  }
  tend::AlertAccepted accepted;
  accepted.set_alerts(count);
  replier.answer(msg, accepted);
}

}  // namespace tend::alerts
