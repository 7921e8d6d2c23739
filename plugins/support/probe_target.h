// What a health probe points at, read from a task's text: an HTTP(S) URL
// ("http://127.0.0.1:8080/health") or a TCP endpoint ("127.0.0.1:5432"), and
// whether this node's operator lets tasks probe that host at all.
//
// Tasks choose what to probe; the operator decides where probes may go. A
// probe to the node's own loopback is always allowed. Any other host must be
// listed in the plugin's `allow_hosts` setting, so that a task cannot turn
// every node of the fleet into a scanner of the internal network.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tend::plugins {

struct ProbeTarget {
  enum class Kind { kHttp, kHttps, kTcp };

  Kind kind = Kind::kTcp;
  std::string host;  // as written, without the brackets of an IPv6 literal
  int port = 0;
  std::string path;  // HTTP(S) only: "/" and what follows, query included
  std::string text;  // the target as the task gave it, for messages

  bool is_http() const { return kind != Kind::kTcp; }
  // "http://127.0.0.1:8080": what an HTTP client connects to.
  std::string origin() const;
  // "GET http://127.0.0.1:8080/health" or "TCP 127.0.0.1:5432", for messages.
  std::string describe() const;
};

// "http://host[:port][/path]" or "https://...". Anything else (another
// scheme, user info, a missing host, a bad port) gives nullopt and `why`.
std::optional<ProbeTarget> parse_probe_url(std::string_view url, std::string* why);

// "host:port" or "[v6-address]:port".
std::optional<ProbeTarget> parse_probe_tcp(std::string_view host_port, std::string* why);

// localhost, 127.0.0.0/8 or ::1, judged from the text (no name lookup).
bool is_loopback_host(std::string_view host);

// Empty when `target` may be probed: its host is loopback, or `allow_hosts`
// lists it as "host" (any port) or "host:port". Otherwise the reason, naming
// the setting of `plugin` that would allow it.
std::string probe_refusal(const ProbeTarget& target, const std::vector<std::string>& allow_hosts,
                          std::string_view plugin);

}  // namespace tend::plugins
