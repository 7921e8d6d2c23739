// coordinator.toml's sections for the alert loop: [alerts] (intake, routes,
// Alertmanager), [confidence], [approvals], [breakers], [blast_radius] and
// [escalation] with its [[escalation.notifier]] entries. Read by
// read_coordinator_config; a bad value refuses the start with file, line and
// problem.
#pragma once

#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bus/expected.h"
#include "core/common/toml_reader.h"
#include "core/coordinator/decisions/decision_settings.h"

namespace tend::alerts {

struct NotifierConfig {
  enum class Kind { kWebhook, kSlack, kPagerDuty };
  Kind kind = Kind::kWebhook;
  std::string name;                         // for logs; default: the kind
  std::string url;                          // where to POST
  std::string routing_key;                  // PagerDuty's integration key
  unsigned retries = 5;                     // further tries after the first fails
  std::chrono::milliseconds backoff{1000};  // before the first retry; doubles, at most 60 s
  std::chrono::seconds timeout{5};
  bool approvals = true;  // also announce fixes waiting for approval
};

std::string_view notifier_kind_name(NotifierConfig::Kind kind);

struct AlertsConfig {
  // [alerts] routes: the alert loop is on when a routes file is given.
  std::string routes_file;
  bool enabled() const { return !routes_file.empty(); }

  std::string webhook_token;  // webhook_token, or the content of webhook_token_file
  uint64_t max_body = 1 << 20;
  std::chrono::seconds dedupe_window{300};
  std::chrono::seconds hold{0};  // automatic fixes wait this long for the alert to clear itself
  std::vector<std::string> alertmanager_urls;  // for silences and alert state (API v2)
  std::chrono::seconds poll_interval{10};      // alert state while verifying

  decisions::ConfidenceSettings confidence;
  decisions::ApprovalSettings approvals;
  decisions::BreakerSettings breakers;
  decisions::BlastRadiusSettings blast_radius;
  std::vector<NotifierConfig> notifiers;
};

// These sections and their keys, for the coordinator's check that every
// key in the file is one tend knows.
const std::vector<TomlSection>& alerts_sections();

Expected<AlertsConfig> read_alerts_config(const toml::table& doc, const std::string& path);

// [http] listen: "host:port" (or "[v6]:port"), checked.
struct ListenAddress {
  std::string host;
  int port = 0;
  bool loopback() const;
};
Expected<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace tend::alerts
