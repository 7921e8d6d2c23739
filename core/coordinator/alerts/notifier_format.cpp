#include "core/coordinator/alerts/notifier_format.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "bus/codec.h"
#include "core/common/json_text.h"
#include "core/coordinator/alerts/escalation.h"

namespace tend::alerts {
namespace {

using json = nlohmann::json;

// PagerDuty's summary is at most 1024 characters.
constexpr size_t kSummaryLimit = 1024;


std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

std::string webhook_body(const tend::Escalation& e) { return to_json(e); }

std::string slack_body(const tend::Escalation& e) {
  std::string details = fmt::format(
      "*What fired:* {}\n*What was tried:* {}\n*What it found:* {}\n*Why a human:* {}\n*Look at:* "
      "{}",
      or_dash(e.what_fired()), or_dash(e.what_was_tried()), or_dash(e.what_it_found()),
      or_dash(e.why()), or_dash(e.look_at()));
  json blocks = json::array();
  blocks.push_back({{"type", "header"},
                    {"text", {{"type", "plain_text"}, {"text", headline(e).substr(0, 150)}}}});
  blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", details}}}});
  if (!e.generator_url().empty()) {
    blocks.push_back(
        {{"type", "context"},
         {"elements", json::array({{{"type", "mrkdwn"},
                                    {"text", fmt::format("<{}|graph> · incident {} · task {}",
                                                         e.generator_url(), e.incident_id(),
                                                         or_dash(e.task_id()))}}})}});
  }
  return json_text({{"text", headline(e)}, {"blocks", blocks}});
}

std::string pagerduty_body(const tend::Escalation& e, const std::string& routing_key) {
  json details = {{"what_fired", e.what_fired()},
                  {"what_was_tried", e.what_was_tried()},
                  {"what_it_found", e.what_it_found()},
                  {"why", e.why()},
                  {"look_at", e.look_at()},
                  {"incident_id", e.incident_id()},
                  {"task_id", e.task_id()},
                  {"labels", json(e.labels())}};
  json event = {
      {"routing_key", routing_key},
      {"event_action", e.kind() == kResolvedKind ? "resolve" : "trigger"},
      {"dedup_key", "tend-" + e.fingerprint()},
      {"payload",
       {{"summary", headline(e).substr(0, kSummaryLimit)},
        {"source", e.host().empty() ? "tend" : e.host()},
        {"severity", e.severity().empty() ? "warning" : e.severity()},
        {"component", e.plugin()},
        {"group", e.pattern()},
        {"class", e.alertname().empty() ? e.kind() : e.alertname()},
        {"custom_details", details}}},
      {"client", "tend"},
  };
  if (!e.generator_url().empty()) {
    event["links"] = json::array({{{"href", e.generator_url()}, {"text", "alert graph"}}});
  }
  return json_text(event);
}

std::string notification_body(const NotifierConfig& notifier, const tend::Escalation& e) {
  switch (notifier.kind) {
    case NotifierConfig::Kind::kWebhook:
      return webhook_body(e);
    case NotifierConfig::Kind::kSlack:
      return slack_body(e);
    case NotifierConfig::Kind::kPagerDuty:
      return pagerduty_body(e, notifier.routing_key);
  }
  return webhook_body(e);
}

bool notifies(const NotifierConfig& notifier, const tend::Escalation& e) {
  return e.kind() != kApprovalRequestKind || notifier.approvals;
}

}  // namespace tend::alerts
