#include "core/coordinator/alerts/alerts_config.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "core/common/byte_size.h"
#include "core/common/input_bounds.h"
#include "core/common/toml_reader.h"

namespace tend::alerts {
namespace {

using namespace std::chrono_literals;

// The longest each duration may be (README "Limits"): longer is a typo.
constexpr auto kMaxDedupeWindow = std::chrono::seconds(7 * 86400);
constexpr auto kMaxHold = std::chrono::seconds(86400);
constexpr auto kMaxPollInterval = std::chrono::seconds(3600);
constexpr auto kMaxApprovalTtl = std::chrono::seconds(30 * 86400);
constexpr auto kMaxBreakerWindow = std::chrono::seconds(30 * 86400);
constexpr auto kMaxNotifierBackoff = std::chrono::seconds(3600);
constexpr auto kMaxNotifierTimeout = std::chrono::seconds(300);
// A token longer than this is not a token.
constexpr size_t kMaxTokenBytes = 4096;

const std::vector<std::string_view> kNotifierKeys{"kind",    "name",    "url",     "routing_key",
                                                  "retries", "backoff", "timeout", "approvals"};

bool is_http_url(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

Expected<std::string> read_token_file(const std::string& file, const std::string& path) {
  std::ifstream in(file);
  if (!in) {
    return make_error(fmt::format("{}: [alerts] webhook_token_file {} cannot be read", path, file));
  }
  std::string token(kMaxTokenBytes + 1, '\0');
  in.read(token.data(), static_cast<std::streamsize>(token.size()));
  token.resize(static_cast<size_t>(in.gcount()));
  if (auto ok = check_bytes(fmt::format("[alerts] webhook_token_file {}", file), token.size(),
                            kMaxTokenBytes);
      !ok) {
    return make_error(fmt::format("{}: {} (or more)", path, ok.error().message));
  }
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) {
    return make_error(fmt::format("{}: [alerts] webhook_token_file {} is empty", path, file));
  }
  return token;
}

Expected<void> read_intake(const toml::table& doc, const std::string& path, AlertsConfig& config) {
  TomlReader r = TomlReader::section(doc, "alerts", path);
  auto routes = r.text("routes", "");
  if (!routes) return routes.error();
  config.routes_file = *routes;
  auto token = r.text("webhook_token", "");
  if (!token) return token.error();
  config.webhook_token = *token;
  auto token_file = r.text("webhook_token_file", "");
  if (!token_file) return token_file.error();
  if (!token_file->empty()) {
    if (!config.webhook_token.empty()) {
      return make_error(
          fmt::format("{}: [alerts] give webhook_token or webhook_token_file, not both", path));
    }
    auto read = read_token_file(*token_file, path);
    if (!read) return read.error();
    config.webhook_token = *read;
  }
  if (const auto* n = r.node("max_body")) {
    auto v = n->value_exact<std::string>();
    auto size = v ? parse_byte_size(*v) : Expected<uint64_t>(make_error("a size such as \"1MiB\""));
    if (!size || *size < 1024 || *size > (64u << 20)) {
      return r.fail(*n, "max_body", "must be a size from \"1KiB\" to \"64MiB\", e.g. \"1MiB\"");
    }
    config.max_body = *size;
  }
  auto window = r.duration("dedupe_window", config.dedupe_window, 0s, kMaxDedupeWindow);
  if (!window) return window.error();
  config.dedupe_window = *window;
  auto hold = r.duration("hold", config.hold, 0s, kMaxHold);
  if (!hold) return hold.error();
  config.hold = *hold;
  auto urls = r.strings("alertmanager");
  if (!urls) return urls.error();
  for (auto& url : *urls) {
    if (!is_http_url(url)) {
      return r.fail(*r.node("alertmanager"), "alertmanager",
                    fmt::format("'{}' is not an http:// or https:// URL", url));
    }
    while (url.ends_with('/')) url.pop_back();
  }
  config.alertmanager_urls = std::move(*urls);
  auto poll = r.duration("poll_interval", config.poll_interval, 1s, kMaxPollInterval);
  if (!poll) return poll.error();
  config.poll_interval = *poll;
  return {};
}

Expected<void> read_decisions(const toml::table& doc, const std::string& path,
                              AlertsConfig& config) {
  TomlReader c = TomlReader::section(doc, "confidence", path);
  auto& conf = config.confidence;
  auto run_alone = c.share("run_alone_above", conf.run_alone_above, 0, 1);
  if (!run_alone) return run_alone.error();
  auto approval = c.share("approval_from", conf.approval_from, 0, 1);
  if (!approval) return approval.error();
  if (*approval > *run_alone) {
    return make_error(
        fmt::format("{}: [confidence] approval_from ({}) must not be above run_alone_above ({})",
                    path, *approval, *run_alone));
  }
  conf.run_alone_above = *run_alone;
  conf.approval_from = *approval;
  auto weight = c.share("prior_weight", conf.prior_weight, 0.1, 1000);
  if (!weight) return weight.error();
  conf.prior_weight = *weight;

  auto ttl = TomlReader::section(doc, "approvals", path)
                 .duration("ttl", config.approvals.ttl, 1s, kMaxApprovalTtl);
  if (!ttl) return ttl.error();
  config.approvals.ttl = *ttl;

  TomlReader b = TomlReader::section(doc, "breakers", path);
  auto& br = config.breakers;
  auto per_hour =
      b.whole("max_fixes_per_hour", static_cast<int64_t>(br.max_fixes_per_hour), 1, 10000);
  if (!per_hour) return per_hour.error();
  br.max_fixes_per_hour = static_cast<size_t>(*per_hour);
  auto consecutive = b.whole("max_consecutive_failures",
                             static_cast<int64_t>(br.max_consecutive_failures), 1, 1000);
  if (!consecutive) return consecutive.error();
  br.max_consecutive_failures = static_cast<size_t>(*consecutive);
  auto rate = b.share("fleet_failure_rate", br.fleet_failure_rate, 0, 1);
  if (!rate) return rate.error();
  br.fleet_failure_rate = *rate;
  auto window = b.duration("fleet_window", br.fleet_window, 1s, kMaxBreakerWindow);
  if (!window) return window.error();
  br.fleet_window = *window;
  auto min_fixes = b.whole("fleet_min_fixes", static_cast<int64_t>(br.fleet_min_fixes), 1, 100000);
  if (!min_fixes) return min_fixes.error();
  br.fleet_min_fixes = static_cast<size_t>(*min_fixes);
  auto cool = b.duration("cool_down", br.cool_down, 1s, kMaxBreakerWindow);
  if (!cool) return cool.error();
  br.cool_down = *cool;

  TomlReader blast = TomlReader::section(doc, "blast_radius", path);
  auto max_nodes =
      blast.whole("max_nodes", static_cast<int64_t>(config.blast_radius.max_nodes), 1, 1000000);
  if (!max_nodes) return max_nodes.error();
  config.blast_radius.max_nodes = static_cast<size_t>(*max_nodes);
  auto share = blast.share("max_share", config.blast_radius.max_share, 0, 1);
  if (!share) return share.error();
  config.blast_radius.max_share = *share;
  return {};
}

Expected<NotifierConfig> read_notifier(const toml::table& table, size_t index,
                                       const std::string& path) {
  TomlReader r(&table, fmt::format("[[escalation.notifier]] #{}", index + 1), path);
  if (auto ok = r.refuse_unknown(kNotifierKeys); !ok) return ok.error();
  NotifierConfig n;
  const auto* kind_node = table.get("kind");
  auto kind = r.text("kind", "");
  if (!kind) return kind.error();
  if (*kind == "webhook") {
    n.kind = NotifierConfig::Kind::kWebhook;
  } else if (*kind == "slack") {
    n.kind = NotifierConfig::Kind::kSlack;
  } else if (*kind == "pagerduty") {
    n.kind = NotifierConfig::Kind::kPagerDuty;
    n.approvals = false;  // pages are for escalations; approvals can wait for the morning
  } else {
    return kind_node ? r.fail(*kind_node, "kind", "must be \"webhook\", \"slack\" or \"pagerduty\"")
                     : make_error(fmt::format("{}: [[escalation.notifier]] #{} needs a kind: "
                                              "\"webhook\", \"slack\" or \"pagerduty\"",
                                              path, index + 1));
  }
  auto name = r.text("name", std::string(notifier_kind_name(n.kind)));
  if (!name) return name.error();
  n.name = *name;
  auto url = r.text("url", "");
  if (!url) return url.error();
  if (!is_http_url(*url)) {
    return make_error(fmt::format(
        "{}: [[escalation.notifier]] {} needs a url (http:// or https://)", path, n.name));
  }
  n.url = *url;
  auto key = r.text("routing_key", "");
  if (!key) return key.error();
  n.routing_key = *key;
  if (n.kind == NotifierConfig::Kind::kPagerDuty && n.routing_key.empty()) {
    return make_error(fmt::format(
        "{}: [[escalation.notifier]] {} (pagerduty) needs routing_key, the integration key "
        "of a PagerDuty Events API v2 service",
        path, n.name));
  }
  auto retries = r.whole("retries", n.retries, 0, 100);
  if (!retries) return retries.error();
  n.retries = static_cast<unsigned>(*retries);
  auto backoff = r.duration("backoff", std::chrono::seconds(1), 1s, kMaxNotifierBackoff);
  if (!backoff) return backoff.error();
  n.backoff = *backoff;
  auto timeout = r.duration("timeout", n.timeout, 1s, kMaxNotifierTimeout);
  if (!timeout) return timeout.error();
  n.timeout = *timeout;
  auto approvals = r.flag("approvals", n.approvals);
  if (!approvals) return approvals.error();
  n.approvals = *approvals;
  return n;
}

Expected<void> read_notifiers(const toml::table& doc, const std::string& path,
                              AlertsConfig& config) {
  const auto* node = doc.at_path("escalation.notifier").node();
  if (node == nullptr) return {};
  const auto* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return make_error(fmt::format("{}:{}: notifiers are [[escalation.notifier]] tables", path,
                                  node->source().begin.line));
  }
  for (size_t i = 0; i < array->size(); ++i) {
    auto n = read_notifier(*array->get(i)->as_table(), i, path);
    if (!n) return n.error();
    config.notifiers.push_back(std::move(*n));
  }
  return {};
}

}  // namespace

std::string_view notifier_kind_name(NotifierConfig::Kind kind) {
  switch (kind) {
    case NotifierConfig::Kind::kWebhook:
      return "webhook";
    case NotifierConfig::Kind::kSlack:
      return "slack";
    case NotifierConfig::Kind::kPagerDuty:
      return "pagerduty";
  }
  return "webhook";
}

const std::vector<TomlSection>& alerts_sections() {
  static const std::vector<TomlSection> sections{
      {"alerts",
       {"routes", "webhook_token", "webhook_token_file", "max_body", "dedupe_window", "hold",
        "alertmanager", "poll_interval"}},
      {"confidence", {"run_alone_above", "approval_from", "prior_weight"}},
      {"approvals", {"ttl"}},
      {"breakers",
       {"max_fixes_per_hour", "max_consecutive_failures", "fleet_failure_rate", "fleet_window",
        "fleet_min_fixes", "cool_down"}},
      {"blast_radius", {"max_nodes", "max_share"}},
      {"escalation", {"notifier"}},
  };
  return sections;
}

Expected<AlertsConfig> read_alerts_config(const toml::table& doc, const std::string& path) {
  AlertsConfig config;
  if (auto ok = read_intake(doc, path, config); !ok) return ok.error();
  if (auto ok = read_decisions(doc, path, config); !ok) return ok.error();
  if (auto ok = read_notifiers(doc, path, config); !ok) return ok.error();
  return config;
}

bool ListenAddress::loopback() const {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

Expected<ListenAddress> parse_listen_address(std::string_view text) {
  auto bad = [&] {
    return make_error(fmt::format(
        "[http] listen '{}' is not host:port, e.g. \"127.0.0.1:9095\" or \"[::1]:9095\"", text));
  };
  ListenAddress address;
  std::string_view port_text;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return bad();
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return bad();
    address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), address.port);
  if (address.host.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      address.port < 1 || address.port > 65535) {
    return bad();
  }
  return address;
}

}  // namespace tend::alerts
