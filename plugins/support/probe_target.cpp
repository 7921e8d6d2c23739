#include "plugins/support/probe_target.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tend::plugins {
namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
}

bool is_v6_char(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<int> parse_port(std::string_view text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (port < 1 || port > 65535) return std::nullopt;
  return port;
}

// "host", "host:port", "[v6]" or "[v6]:port" into `target`; the port stays
// as it was when the text has none.
bool split_authority(std::string_view authority, ProbeTarget& target, std::string* why) {
  std::string_view host = authority, port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      *why = "an IPv6 address needs its closing ']'";
      return false;
    }
    host = authority.substr(1, close - 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !rest.starts_with(':')) {
      *why = "expected ':port' after the IPv6 address";
      return false;
    }
    if (!rest.empty()) port = rest.substr(1);
    if (host.empty() || !std::all_of(host.begin(), host.end(), is_v6_char)) {
      *why = "'" + std::string(host) + "' is not an IPv6 address";
      return false;
    }
  } else {
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
      if (port.empty()) {
        *why = "the port after ':' is missing";
        return false;
      }
    }
    if (host.empty()) {
      *why = "the host is missing";
      return false;
    }
    if (!std::all_of(host.begin(), host.end(), is_name_char)) {
      *why = "'" + std::string(host) + "' is not a host name or address";
      return false;
    }
  }
  if (!port.empty()) {
    auto number = parse_port(port);
    if (!number) {
      *why = "'" + std::string(port) + "' is not a port (1-65535)";
      return false;
    }
    target.port = *number;
  }
  target.host = std::string(host);
  return true;
}

}  // namespace

std::string ProbeTarget::origin() const {
  std::string bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return std::string(kind == Kind::kHttps ? "https://" : "http://") + bracketed + ":" +
         std::to_string(port);
}

std::string ProbeTarget::describe() const { return (is_http() ? "GET " : "TCP ") + text; }

std::optional<ProbeTarget> parse_probe_url(std::string_view url, std::string* why) {
  ProbeTarget target;
  target.text = std::string(url);
  std::string_view rest;
  if (url.starts_with("http://")) {
    target.kind = ProbeTarget::Kind::kHttp;
    target.port = 80;
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    target.kind = ProbeTarget::Kind::kHttps;
    target.port = 443;
    rest = url.substr(8);
  } else {
    *why = "'" + std::string(url) + "' is not an http:// or https:// URL";
    return std::nullopt;
  }
  size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  // "http://127.0.0.1@elsewhere/" would go elsewhere while reading as local.
  if (authority.find('@') != std::string_view::npos) {
    *why = "user info ('...@') is not allowed in a probe URL";
    return std::nullopt;
  }
  if (!split_authority(authority, target, why)) {
    *why = "bad URL '" + std::string(url) + "': " + *why;
    return std::nullopt;
  }
  std::string_view path = slash == std::string_view::npos ? "/" : rest.substr(slash);
  path = path.substr(0, path.find('#'));  // a fragment never goes to the server
  target.path = path.starts_with('/') ? std::string(path) : "/" + std::string(path);
  if (std::any_of(target.path.begin(), target.path.end(),
                  [](unsigned char c) { return c <= ' ' || c == 0x7f; })) {
    *why = "bad URL '" + std::string(url) + "': spaces and control characters must be %-encoded";
    return std::nullopt;
  }
  return target;
}

std::optional<ProbeTarget> parse_probe_tcp(std::string_view host_port, std::string* why) {
  ProbeTarget target;
  target.kind = ProbeTarget::Kind::kTcp;
  target.text = std::string(host_port);
  bool has_port = host_port.starts_with('[') ? host_port.find("]:") != std::string_view::npos
                                             : host_port.find(':') != std::string_view::npos;
  if (!has_port) {
    *why = "'" + std::string(host_port) + "' needs a port: host:port";
    return std::nullopt;
  }
  if (!split_authority(host_port, target, why)) {
    *why = "bad TCP target '" + std::string(host_port) + "': " + *why;
    return std::nullopt;
  }
  return target;
}

bool is_loopback_host(std::string_view host) {
  std::string name = lower(host);
  if (name == "localhost" || name == "localhost.") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, name.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

std::string probe_refusal(const ProbeTarget& target, const std::vector<std::string>& allow_hosts,
                          std::string_view plugin) {
  if (is_loopback_host(target.host)) return "";
  std::string host = lower(target.host);
  std::string with_port = host + ":" + std::to_string(target.port);
  std::string bracketed = "[" + host + "]:" + std::to_string(target.port);
  for (const auto& entry : allow_hosts) {
    std::string allowed = lower(entry);
    if (allowed == host || allowed == "[" + host + "]" || allowed == with_port ||
        allowed == bracketed) {
      return "";
    }
  }
  return std::string(plugin) + ": " + target.host + " is not this node's loopback and not in " +
         "[plugin." + std::string(plugin) + "] allow_hosts; an operator can add \"" + target.host +
         "\" there in agent.toml to let tasks probe it";
}

}  // namespace tend::plugins
