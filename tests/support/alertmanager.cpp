#include "tests/support/alertmanager.h"

#include <fmt/format.h>
#include <httplib.h>

#include <ctime>

#include "tests/support/eventually.h"
#include "tests/support/loopback_port.h"

namespace tend::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto kPollInterval = 50ms;

std::string rfc3339(std::chrono::system_clock::time_point t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace

std::filesystem::path Alertmanager::program() { return find_on_path("prometheus-alertmanager"); }

Alertmanager::Alertmanager(AlertmanagerSettings settings) : settings_(std::move(settings)) {}

Alertmanager::~Alertmanager() {
  if (process_) process_->terminate(5s);
}

std::string Alertmanager::url() const { return fmt::format("http://127.0.0.1:{}", port_); }

Expected<void> Alertmanager::start(std::chrono::milliseconds timeout) {
  // group_wait and group_interval short, so a test hears of an alert (and of
  // its end) within a couple of seconds; one group per alert.
  std::string config = fmt::format(
      "route:\n"
      "  receiver: tend\n"
      "  group_by: ['...']\n"
      "  group_wait: 1s\n"
      "  group_interval: 1s\n"
      "  repeat_interval: 1h\n"
      "receivers:\n"
      "  - name: tend\n"
      "    webhook_configs:\n"
      "      - url: '{}'\n"
      "        send_resolved: true\n"
      "        http_config:\n"
      "          authorization:\n"
      "            type: Bearer\n"
      "            credentials: '{}'\n",
      settings_.webhook_url, settings_.token);
  auto config_path = dir_.write("alertmanager.yml", config);
  port_ = free_loopback_port();
  std::vector<std::string> argv = {program().string(), "--config.file=" + config_path.string(),
                                   "--storage.path=" + (dir_.path() / "data").string(),
                                   fmt::format("--web.listen-address=127.0.0.1:{}", port_),
                                   "--log.level=info"};
  if (settings_.clustered) {
    cluster_port_ = free_loopback_port();
    argv.push_back(fmt::format("--cluster.listen-address=127.0.0.1:{}", cluster_port_));
    argv.push_back(fmt::format("--cluster.advertise-address=127.0.0.1:{}", cluster_port_));
    for (int peer : settings_.peers)
      argv.push_back(fmt::format("--cluster.peer=127.0.0.1:{}", peer));
    // A pair on one machine settles in a second rather than after three
    // checks ten gossip intervals apart; the second member waits half a
    // second (not 15 s) for the first to have notified.
    argv.push_back("--cluster.gossip-interval=50ms");
    argv.push_back("--cluster.peer-timeout=500ms");
  } else {
    argv.push_back("--cluster.listen-address=");
  }
  auto process = ChildProcess::start(argv, dir_.path() / "alertmanager.log");
  if (!process) return process.error();
  process_.emplace(std::move(*process));

  std::string missing;
  eventually(
      [&] {
        missing = not_ready();
        return missing.empty() || !process_->running();
      },
      timeout, kPollInterval);
  if (missing.empty()) return {};
  return make_error(fmt::format("prometheus-alertmanager not ready on port {} ({}):\n{}", port_,
                                missing, process_->log()));
}

std::string Alertmanager::not_ready() {
  auto status = get("/api/v2/status");
  if (!status) return status.error().message;
  if (!settings_.clustered || settings_.peers.empty()) return "";
  const size_t want_peers = settings_.peers.size() + 1;
  size_t peers = 1;
  if (status->contains("cluster") && (*status)["cluster"].contains("peers")) {
    peers = (*status)["cluster"]["peers"].size();
  }
  if (peers >= want_peers) return "";
  return fmt::format("sees {} of {} cluster members", peers, want_peers);
}

Expected<nlohmann::json> Alertmanager::get(const std::string& path) {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(2s);
  client.set_read_timeout(5s);
  auto response = client.Get(path);
  if (!response) {
    return make_error(
        fmt::format("GET {}{}: {}", url(), path, httplib::to_string(response.error())));
  }
  if (response->status != 200) {
    return make_error(
        fmt::format("GET {}{} answered {}: {}", url(), path, response->status, response->body));
  }
  auto doc = nlohmann::json::parse(response->body, nullptr, false);
  if (doc.is_discarded()) return make_error("GET " + path + ": not JSON: " + response->body);
  return doc;
}

Expected<void> Alertmanager::post_alert(const nlohmann::json& alert) {
  httplib::Client client("127.0.0.1", port_);
  client.set_connection_timeout(2s);
  client.set_read_timeout(5s);
  auto response =
      client.Post("/api/v2/alerts", nlohmann::json::array({alert}).dump(), "application/json");
  if (!response) {
    return make_error(
        fmt::format("POST {}/api/v2/alerts: {}", url(), httplib::to_string(response.error())));
  }
  if (response->status != 200) {
    return make_error(fmt::format("POST {}/api/v2/alerts answered {}: {}", url(), response->status,
                                  response->body));
  }
  return {};
}

Expected<void> Alertmanager::fire(const std::map<std::string, std::string>& labels,
                                  const std::map<std::string, std::string>& annotations) {
  return post_alert({{"labels", labels},
                     {"annotations", annotations},
                     {"startsAt", rfc3339(std::chrono::system_clock::now())},
                     {"generatorURL", "http://prometheus.test/graph"}});
}

Expected<void> Alertmanager::resolve(const std::map<std::string, std::string>& labels) {
  return post_alert(
      {{"labels", labels}, {"endsAt", rfc3339(std::chrono::system_clock::now() - 1s)}});
}

Expected<nlohmann::json> Alertmanager::silences() { return get("/api/v2/silences"); }
Expected<nlohmann::json> Alertmanager::alerts() { return get("/api/v2/alerts"); }

std::string Alertmanager::log() const { return process_ ? process_->log() : ""; }

}  // namespace tend::testing
