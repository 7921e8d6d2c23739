// A real prometheus-alertmanager for a test: its own config (one webhook
// receiver pointing at tend, with the bearer token), short group timings, free
// loopback ports, a storage directory of its own. Alone, or clustered with
// others on loopback (an HA pair). Alerts go in through its API v2, as
// Prometheus would send them.
#pragma once

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bus/expected.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace tend::testing {

struct AlertmanagerSettings {
  std::string webhook_url;  // e.g. http://127.0.0.1:PORT/alertmanager
  std::string token;        // sent as a bearer token (http_config.authorization)
  std::vector<int> peers;   // cluster ports of the others in an HA pair
  bool clustered = false;   // listen for peers (set for every member of a pair)
};

class Alertmanager {
 public:
  explicit Alertmanager(AlertmanagerSettings settings);
  ~Alertmanager();
  Alertmanager(const Alertmanager&) = delete;
  Alertmanager& operator=(const Alertmanager&) = delete;

  // Where the program is, or an empty path when it is not installed.
  static std::filesystem::path program();

  // Starts it and waits until its API answers (and, clustered, until it
  // sees every peer).
  Expected<void> start(std::chrono::milliseconds timeout = std::chrono::seconds(15));

  std::string url() const;  // http://127.0.0.1:PORT
  int cluster_port() const { return cluster_port_; }

  // POST /api/v2/alerts: the alert fires now (startsAt now) ...
  Expected<void> fire(const std::map<std::string, std::string>& labels,
                      const std::map<std::string, std::string>& annotations = {});
  // ... or has ended (endsAt a second ago).
  Expected<void> resolve(const std::map<std::string, std::string>& labels);

  Expected<nlohmann::json> silences();
  Expected<nlohmann::json> alerts();

  std::string log() const;

 private:
  Expected<nlohmann::json> get(const std::string& path);
  // "" once it answers and, when clustered, sees every peer; what is missing otherwise.
  std::string not_ready();
  Expected<void> post_alert(const nlohmann::json& alert);

  AlertmanagerSettings settings_;
  TempDir dir_{"tend-alertmanager"};
  int port_ = 0;
  int cluster_port_ = 0;
  std::optional<ChildProcess> process_;
};

}  // namespace tend::testing
